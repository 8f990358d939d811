/**
 * Reads a request body up to a byte limit, refusing before reading on: a declared Content-Length
 * over the limit is refused unread, and a body without one (or lying about it) is counted as it
 * streams and cancelled at the first byte past the limit.
 */
import { RequestError } from "../errors";

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** WEBHOOK_MAX_BYTES as a number; the default when unset or not a positive integer. */
export function maxBodyBytes(setting: string | undefined): number {
  const value = Number(setting);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_BYTES;
}

export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError("payload_too_large", `webhook body is larger than ${maxBytes} bytes (WEBHOOK_MAX_BYTES)`, {
    maxBytes,
  });
}
