/**
 * The dashboard's only script, served as /ui/tail.<hash>.js: relative times ("3 min ago") that
 * stay current, and the live tail. Everything else works without it. It polls the session-checked
 * /ui/live routes (see docs/dashboard.md for why polling, not server-sent events), pauses while the
 * tab is hidden, backs off on errors, and writes only textContent and class names, never HTML.
 */
export const CLIENT_JS = `"use strict";
(function () {
  var UNITS = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
  function ago(iso) {
    var seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (!isFinite(seconds)) return "";
    if (seconds < 5) return "just now";
    for (var i = 0; i < UNITS.length; i++) {
      var n = Math.floor(seconds / UNITS[i][1]);
      if (n >= 1) return n + " " + UNITS[i][0] + " ago";
    }
    return "just now";
  }
  function refreshTimes() {
    var times = document.querySelectorAll("time[data-ago]");
    for (var i = 0; i < times.length; i++) times[i].textContent = ago(times[i].getAttribute("datetime"));
  }
  refreshTimes();
  setInterval(refreshTimes, 15000);

  var tail = document.getElementById("tail");
  if (!tail) return;
  var list = tail.querySelector("ol");
  var state = document.getElementById("tail-state");
  var source = tail.getAttribute("data-src");
  var after = Number(tail.getAttribute("data-after")) || 0;
  var KEEP = 200;
  var delay = 2000;
  var timer = null;

  function cell(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }
  function add(line) {
    var item = document.createElement("li");
    item.className = "new";
    var time = document.createElement("time");
    time.setAttribute("datetime", line.at);
    time.title = line.at;
    time.textContent = line.at.slice(11, 19);
    item.appendChild(time);
    item.appendChild(cell("src", line.source));
    item.appendChild(cell("type", line.type));
    item.appendChild(cell("text", line.text));
    // Newest first without moving what is on screen: the box scrolls by the new line's height
    // (so nothing shifts), then scrolls back up to show it, when its reader was at the top.
    var atTop = tail.scrollTop < 4;
    var before = list.scrollHeight;
    list.insertBefore(item, list.firstChild);
    while (list.children.length > KEEP) list.removeChild(list.lastChild);
    tail.scrollTop += list.scrollHeight - before;
    if (atTop) revealSoon();
  }
  var revealTimer = null;
  function revealSoon() {
    clearTimeout(revealTimer);
    revealTimer = setTimeout(function () {
      tail.scrollTo({ top: 0, behavior: "smooth" });
    }, 50);
  }
  function each(selector, fn) {
    var found = document.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) fn(found[i]);
  }
  function update(app) {
    var key = JSON.stringify(app.name);
    each("[data-status-of=" + key + "]", function (badge) {
      if (badge.textContent !== app.status)
        add({ at: new Date().toISOString(), source: app.name, type: "status", text: badge.textContent + " → " + app.status + (app.line ? "  " + app.line : "") });
      badge.textContent = app.status;
      badge.className = app.badge;
    });
    each("[data-release-of=" + key + "]", function (el) { el.textContent = app.release; });
    if (app.startedAt)
      each("time[data-started-of=" + key + "]", function (el) {
        el.setAttribute("datetime", app.startedAt);
        el.title = app.startedAt;
        el.textContent = ago(app.startedAt);
      });
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }
  function poll() {
    if (document.hidden) return;
    fetch(source + "?after=" + after, { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) throw new Error("signed out: reload to sign in");
        if (!res.ok) throw new Error("answered " + res.status);
        return res.json();
      })
      .then(function (body) {
        for (var i = 0; i < body.events.length; i++) add(body.events[i]);
        after = body.next;
        for (var j = 0; j < body.apps.length; j++) update(body.apps[j]);
        state.textContent = "live";
        tail.setAttribute("data-after", String(after));
        delay = 2000;
        schedule();
      })
      .catch(function (error) {
        state.textContent = String(error.message || error).indexOf("signed out") === 0 ? error.message : "reconnecting…";
        delay = Math.min(delay * 2, 30000);
        if (state.textContent === "reconnecting…") schedule();
      });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
  });
  state.textContent = "live";
  schedule();
})();
`;
