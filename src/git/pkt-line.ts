/**
 * Git's pkt-line framing: four hex digits of length (including themselves) then the payload;
 * `0000` flush, `0001` delimiter, `0002` response end.
 */
export type PktLine = string | "flush" | "delim" | "end";

const encoder = new TextEncoder();

export function pktLines(lines: (string | "flush" | "delim")[]): Uint8Array {
  let text = "";
  for (const line of lines) {
    if (line === "flush") text += "0000";
    else if (line === "delim") text += "0001";
    else text += (encoder.encode(line).byteLength + 4).toString(16).padStart(4, "0") + line;
  }
  return encoder.encode(text);
}

/** Splits a whole answer into lines (payloads as text, trailing newline removed). */
export function parsePktLines(bytes: Uint8Array): PktLine[] {
  const decoder = new TextDecoder();
  const lines: PktLine[] = [];
  let at = 0;
  while (at + 4 <= bytes.byteLength) {
    const size = Number.parseInt(decoder.decode(bytes.subarray(at, at + 4)), 16);
    if (Number.isNaN(size)) throw new SyntaxError(`bad pkt-line length at byte ${at}`);
    if (size < 4) {
      lines.push(size === 0 ? "flush" : size === 1 ? "delim" : "end");
      at += 4;
      continue;
    }
    if (at + size > bytes.byteLength) throw new SyntaxError(`truncated pkt-line at byte ${at}`);
    lines.push(decoder.decode(bytes.subarray(at + 4, at + size)).replace(/\n$/, ""));
    at += size;
  }
  if (at !== bytes.byteLength) throw new SyntaxError(`trailing bytes after pkt-lines at byte ${at}`);
  return lines;
}
