/** The registry login as fly-go's Tokens.Docker() forms it (tokens/tokens.go). */
import { describe, expect, it } from "vitest";
import { registryAuthFile } from "../../../../src/fly/build";
import { registryPassword } from "../../../../src/fly/build/registry-login";

describe("registryPassword", () => {
  it("strips the auth scheme and keeps the macaroons only, comma-joined", () => {
    expect(registryPassword("FlyV1 fm2_aaa,fm2_bbb")).toBe("fm2_aaa,fm2_bbb");
    expect(registryPassword("FlyV1 fm2_aaa, fo1_oauth , fm1r_ccc")).toBe("fm2_aaa,fm1r_ccc");
    expect(registryPassword("Bearer FlyV1 fm1a_x")).toBe("fm1a_x");
    expect(registryPassword("  fo1_personal  ")).toBe("fo1_personal");
    expect(registryPassword("bearer abc,def")).toBe("abc,def");
  });

  it("is what the builder's docker config.json carries, as user x", () => {
    const file = registryAuthFile(
      { registryHost: "registry.fly.io" } as Parameters<typeof registryAuthFile>[0],
      "FlyV1 fm2_aaa,fo1_oauth",
    );
    const docker = JSON.parse(Buffer.from(file, "base64").toString());
    expect(Buffer.from(docker.auths["registry.fly.io"].auth, "base64").toString()).toBe("x:fm2_aaa");
  });
});
