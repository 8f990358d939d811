/** Times as people read them: "3 min ago" with the exact time on hover, and durations. */

export function relative(iso: string, now: number): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 5) return "just now";
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit} ago`;
  }
  return "just now";
}

export function duration(from: string, to: string | null, now: number): string {
  const ms = (to === null ? now : Date.parse(to)) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** `<time>` with the relative text; the script keeps it current (data-ago). */
/** `of`: the app whose last deploy this is, so the live tail can move it to a newer deploy. */
export function Ago(props: { at: string | null; now: number; of?: string }) {
  if (props.at === null) return <span class="muted">never</span>;
  return (
    <time datetime={props.at} title={props.at} data-ago="" data-started-of={props.of}>
      {relative(props.at, props.now)}
    </time>
  );
}
