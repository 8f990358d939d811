import { describe, expect, it } from "vitest";
import { apiBase, authHeader } from "../../../../src/fly/client/auth-header";
import { backoffMs, parseRetryAfter } from "../../../../src/fly/client/retry-policy";

describe("authHeader", () => {
  it("sends macaroons as FlyV1, prefixed tokens as they are, others as Bearer", () => {
    expect(authHeader("fm2_abc")).toBe("FlyV1 fm2_abc");
    expect(authHeader("fm1r_abc")).toBe("FlyV1 fm1r_abc");
    expect(authHeader("fm1a_abc")).toBe("FlyV1 fm1a_abc");
    expect(authHeader("FlyV1 fm2_abc,fm2_def")).toBe("FlyV1 fm2_abc,fm2_def");
    expect(authHeader("  plain-token\n")).toBe("Bearer plain-token");
  });

  it("appends /v1 to FLY_API_BASE once", () => {
    expect(apiBase(undefined)).toBe("https://api.machines.dev/v1");
    expect(apiBase("http://127.0.0.1:4280/")).toBe("http://127.0.0.1:4280/v1");
    expect(apiBase("http://127.0.0.1:4280/v1")).toBe("http://127.0.0.1:4280/v1");
  });
});

describe("backoff", () => {
  const policy = { attempts: 5, baseMs: 100, maxMs: 1000 };
  it("grows exponentially with jitter, capped", () => {
    expect(backoffMs(policy, 0, () => 0)).toBe(50);
    expect(backoffMs(policy, 0, () => 1)).toBe(100);
    expect(backoffMs(policy, 3, () => 1)).toBe(800);
    expect(backoffMs(policy, 9, () => 1)).toBe(1000);
  });
  it("waits at least what Retry-After asks", () => {
    expect(backoffMs(policy, 0, () => 0, "2")).toBe(2000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:58 GMT"))).toBe(2000);
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
