// The webhook HMAC is checked with WebCrypto over the bytes that arrived; the signatures here come
// from @octokit/webhooks-methods, an implementation of GitHub's scheme that is not Tower's.
import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { hmacMatchesAny } from "../../../src/worker/webhook/hmac";

const body = JSON.stringify({ ref: "refs/heads/main", repository: { full_name: "acme/web", name: "wéb ✓" } });
const bytes = new TextEncoder().encode(body);
const hexOf = async (secret: string) => (await sign(secret, body)).replace(/^sha256=/, "");

describe("hmacMatchesAny", () => {
  it("accepts a signature by any of the secrets, in either hex case", async () => {
    const hex = await hexOf("old-secret");
    expect(await hmacMatchesAny(["new-secret", "old-secret"], bytes, hex)).toBe(true);
    expect(await hmacMatchesAny(["new-secret", "old-secret"], bytes, hex.toUpperCase())).toBe(true);
    expect(await hmacMatchesAny(["new-secret"], bytes, hex)).toBe(false);
  });

  it("refuses one changed byte, a cut signature, and non-hex", async () => {
    const hex = await hexOf("s3cret");
    const changed = bytes.slice();
    changed[10] = changed[10]! ^ 1;
    expect(await hmacMatchesAny(["s3cret"], changed, hex)).toBe(false);
    expect(await hmacMatchesAny(["s3cret"], bytes, hex.slice(0, 62))).toBe(false);
    expect(await hmacMatchesAny(["s3cret"], bytes, `${hex.slice(0, 62)}zz`)).toBe(false);
    expect(await hmacMatchesAny([], bytes, hex)).toBe(false);
  });

  it("keeps working past the cached-key cap", async () => {
    for (let i = 0; i < 70; i++) expect(await hmacMatchesAny([`k${i}`], bytes, await hexOf(`k${i}`))).toBe(true);
    expect(await hmacMatchesAny(["k0"], bytes, await hexOf("k0"))).toBe(true);
  });
});
