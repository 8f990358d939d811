import { describe, expect, it } from "vitest";
import { readBodyWithin as readWithin } from "../../../src/worker/read-body";
import { DEFAULT_MAX_BYTES, maxBodyBytes } from "../../../src/worker/webhook/read-body";

const readBodyWithin = (request: Request, maxBytes: number) =>
  readWithin(request, maxBytes, "a webhook delivery (WEBHOOK_MAX_BYTES)");

function streamOf(chunks: number, size: number) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunks) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("https://tower.test/webhook", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBodyWithin", () => {
  it("reads a body within the limit, byte for byte", async () => {
    const body = await readBodyWithin(post(streamOf(3, 100)), 300);
    expect(body.byteLength).toBe(300);
    expect(new TextDecoder().decode(body)).toBe("a".repeat(300));
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const request = post(streamOf(1, 10), { "content-length": "5000" });
    await expect(readBodyWithin(request, 1000)).rejects.toMatchObject({ code: "payload_too_large" });
    expect(request.bodyUsed).toBe(false);
  });

  it("counts a body whose Content-Length lies and stops one chunk past the limit", async () => {
    const request = post(streamOf(1000, 100), { "content-length": "10" });
    await expect(readBodyWithin(request, 1000)).rejects.toMatchObject({ code: "payload_too_large" });
  });

  it("reads WEBHOOK_MAX_BYTES, falling back to 5 MiB for nonsense", () => {
    expect(maxBodyBytes("1024")).toBe(1024);
    for (const bad of [undefined, "", "-1", "1.5", "lots"]) expect(maxBodyBytes(bad)).toBe(DEFAULT_MAX_BYTES);
  });
});
