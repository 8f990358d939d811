/**
 * The webhook's body limit, WEBHOOK_MAX_BYTES: deliveries are read within it by ../read-body.ts,
 * as every route's body is (GitHub caps a delivery's payload at 25 MB; a push is a few KB).
 */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** WEBHOOK_MAX_BYTES as a number; the default when unset or not a positive integer. */
export function maxBodyBytes(setting: string | undefined): number {
  const value = Number(setting);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_BYTES;
}
