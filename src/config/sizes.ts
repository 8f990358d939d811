const units: Record<string, number> = { b: 1 / 2 ** 20, k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };

/** A size in MB: a bare number is MB ("512"), or with a unit ("1gb", "512MB"). */
export function sizeToMb(value: number | string): number {
  if (typeof value === "number") return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt])?b?\s*$/i.exec(value);
  if (!m) return Number.NaN;
  return Math.round(Number(m[1]) * units[(m[2] ?? "m").toLowerCase()]!);
}

/** A size in whole GB (volumes): bare numbers are GB here, as in app.yaml `size_gb`. */
export function sizeToGb(value: number | string): number {
  if (typeof value === "number") return value;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  return Math.max(1, Math.ceil(sizeToMb(value) / 1024));
}

const msPer: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "1m30s" → 90000; a bare number is seconds (flyctl's `kill_timeout = 5`). */
export function durationToMs(value: number | string): number {
  if (typeof value === "number") return value * 1000;
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * msPer[m[2]!]!;
  return total;
}
