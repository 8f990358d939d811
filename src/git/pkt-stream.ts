/**
 * pkt-lines read as they arrive, for answers too big to buffer twice (a packfile comes as
 * side-band pkt-lines of up to 64 kB). Only the unread tail of the last chunk is ever copied.
 */
export type Pkt = Uint8Array | "flush" | "delim" | "end";

export async function* readPkts(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Pkt> {
  let buf: Uint8Array = new Uint8Array(0);
  let at = 0;
  const iterator = chunks[Symbol.asyncIterator]();
  const fill = async (need: number): Promise<boolean> => {
    while (buf.byteLength - at < need) {
      const next = await iterator.next();
      if (next.done) return false;
      if (at === buf.byteLength) {
        // Nothing left over: take the chunk as it is, no copy.
        buf = next.value;
        at = 0;
        continue;
      }
      const merged = new Uint8Array(buf.byteLength - at + next.value.byteLength);
      merged.set(buf.subarray(at));
      merged.set(next.value, buf.byteLength - at);
      buf = merged;
      at = 0;
    }
    return true;
  };
  for (;;) {
    if (!(await fill(4))) {
      if (buf.byteLength - at > 0) throw new SyntaxError("answer ends inside a pkt-line length");
      return;
    }
    const size = Number.parseInt(String.fromCharCode(...buf.subarray(at, at + 4)), 16);
    if (Number.isNaN(size)) throw new SyntaxError("bad pkt-line length");
    if (size < 4) {
      at += 4;
      yield size === 0 ? "flush" : size === 1 ? "delim" : "end";
      continue;
    }
    if (!(await fill(size))) throw new SyntaxError("answer ends inside a pkt-line");
    const payload = buf.subarray(at + 4, at + size);
    at += size;
    yield payload;
  }
}

export function pktText(pkt: Pkt): string | undefined {
  return typeof pkt === "string" ? undefined : new TextDecoder().decode(pkt).replace(/\n$/, "");
}
