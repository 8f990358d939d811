/** Small text helpers for tables, ages and durations. */

/** "12s", "4m", "3h", "2d": how long ago `iso` was, from `now`. */
export function age(iso: string | null | undefined, now: number): string {
  if (!iso) return "-";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** Milliseconds as "0.4s", "12.3s", "2m05s". */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, "0")}s`;
}

export function between(from: string, to: string | null): string {
  return to ? duration(Date.parse(to) - Date.parse(from)) : "-";
}

export const short = (commit: string | null | undefined, n = 12) => (commit ? commit.slice(0, n) : "-");

/** Rows as columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell).length))).join("  "),
    )
    .map((line) => `${line}\n`)
    .join("");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is stripped.
const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
