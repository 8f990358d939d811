/**
 * The dashboard's stylesheet, served as /ui/style.<hash>.css (the CSP allows no inline style).
 * Colours follow prefers-color-scheme; widths are fixed where live data changes, so a badge or a
 * time that updates never moves the layout.
 */
export const STYLE_CSS = `
:root{color-scheme:light dark;--bg:#f7f7f8;--fg:#1b1d21;--muted:#5d6470;--card:#fff;--line:#dcdfe4;--link:#0b5cad;
--ok:#1a7f37;--ok-bg:#dcf5e3;--run:#0b5cad;--run-bg:#dbe9fb;--wait:#7a5a00;--wait-bg:#fbefc8;--warn:#9a4a00;--warn-bg:#ffe3cc;
--bad:#b42318;--bad-bg:#fde0dd;--other:#4b5563;--other-bg:#e5e7eb}
@media (prefers-color-scheme:dark){:root{--bg:#111316;--fg:#e6e8eb;--muted:#9aa3ae;--card:#1a1d21;--line:#2d3238;--link:#7cb7ff;
--ok:#6fdc8c;--ok-bg:#12351f;--run:#8ec5ff;--run-bg:#132c4a;--wait:#f5d36b;--wait-bg:#3a300f;--warn:#ffb37a;--warn-bg:#42250c;
--bad:#ff8f85;--bad-bg:#46161a;--other:#c3c8cf;--other-bg:#2b3036}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--link)}
code,.mono,time{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
time,.num{font-variant-numeric:tabular-nums}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--card)}
header .brand{font-weight:700;text-decoration:none;color:var(--fg)}
header .who{margin-left:auto;color:var(--muted);display:flex;gap:.6rem;align-items:center}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.2rem 0 .8rem}
h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:0 0 1rem}
.problems{border-color:var(--bad);background:var(--bad-bg)}
.problems li{margin:.2rem 0}
.notice{border-color:var(--ok)}
.error{border-color:var(--bad)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top;white-space:nowrap}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
th a{color:inherit}
td.wrap{white-space:normal;word-break:break-word}
tr:last-child td{border-bottom:0}
.badge{display:inline-block;min-width:6.2rem;text-align:center;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;
color:var(--other);background:var(--other-bg)}
.badge-synced,.badge-succeeded,.badge-done{color:var(--ok);background:var(--ok-bg)}
.badge-deploying,.badge-running,.badge-wait,.badge-retry{color:var(--run);background:var(--run-bg)}
.badge-pending{color:var(--wait);background:var(--wait-bg)}
.badge-degraded,.badge-superseded{color:var(--warn);background:var(--warn-bg)}
.badge-failed,.badge-stalled{color:var(--bad);background:var(--bad-bg)}
.muted{color:var(--muted)}
form.inline{display:inline}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:0 0 .8rem}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
input,select,button{font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.35rem .6rem;min-height:2.2rem}
button{cursor:pointer}
button.primary{background:var(--link);border-color:var(--link);color:var(--card);font-weight:600}
button.danger{border-color:var(--bad);color:var(--bad)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}
.timeline{list-style:none;margin:0;padding:0;border-left:2px solid var(--line)}
.timeline li{position:relative;margin:0 0 .7rem;padding:0 0 0 1rem}
.timeline li::before{content:"";position:absolute;left:-.4rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:var(--line)}
.timeline .msg{display:block;color:var(--muted);white-space:pre-wrap;word-break:break-word}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;word-break:break-all}
.tail{height:16rem;overflow-y:auto;overflow-anchor:none;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.4rem .6rem}
.tail ol{list-style:none;margin:0;padding:0}
.tail li{padding:.15rem 0;border-bottom:1px dashed var(--line);display:grid;grid-template-columns:5.2rem 11rem 11rem 1fr;gap:.5rem}
.tail li span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tail li .text{white-space:normal;word-break:break-word}
.tail-state{font-size:.8rem;color:var(--muted);display:inline-block;min-width:7rem}
.signin{max-width:24rem;margin:3rem auto}
.signin input{width:100%;margin:.3rem 0 .8rem}
@media (max-width:640px){main{padding:.6rem}.hide-s{display:none}.tail li{grid-template-columns:4.6rem 1fr}.tail li .type,.tail li .src{display:none}
th,td{padding:.4rem}}
`;
