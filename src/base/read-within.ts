/**
 * A body read whole within a byte limit: a declared Content-Length past it is refused unread, and
 * a body without one (or understating it) is counted as it streams and cancelled at the first
 * byte past it. The caller names the refusal (a 413, a registry's too_large): null means "over".
 */
export async function readWithin(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
): Promise<Uint8Array | null> {
  // Left unread (not even cancelled): what to do with the connection is the caller's.
  if (declaredLength !== null && Number(declaredLength) > maxBytes) return null;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
