import { z } from "zod";

/** Fly region codes are three lowercase letters (`arn`, `ams`, `iad`). */
export const region = z.string().regex(/^[a-z]{3}$/, "a region code is three lowercase letters, e.g. ams");
/** Fly app names become `<name>.fly.dev`: a DNS label. */
export const appName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "an app name is a DNS label: a-z, 0-9 and -, at most 63");
export const port = z.number().int().min(1).max(65535);
export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().min(0);
/** Go-style durations as flyctl writes them: "10s", "1m30s", "500ms". */
export const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a duration with a unit, e.g. "10s" or "1m30s"');
/** A size: a number of megabytes, or a string with a unit ("512mb", "1gb"). */
export const size = z.union([
  z.number().int().positive(),
  z.string().regex(/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|k|m|g|t)?\s*$/i, 'a size such as "512mb" or "10gb"'),
]);
/** Sections of fly.toml that apply to some process groups only. */
export const processes = z.array(z.string().min(1)).optional();
export const envValue = z.union([z.string(), z.number(), z.boolean()]);
export const stringMap = z.record(z.string(), z.string());
