import { describe, expect, it } from "vitest";
import { pinImage } from "../../../src/config/pin-image";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const same = (v: string) => v.startsWith("ghcr.io/acme/api:") || v === "ghcr.io/acme/api";

const APP_YAML = `# API service — owned by team A
app: acme-api   # the Fly app
source:
  type: image
  # pinned by Tower; policy below
  image: ghcr.io/acme/api:1.4.2@${D1}   # do not edit by hand
  policy: {semver: "^1.4"}

env:
  LOG: "debug"   # loud for now
`;

describe("pinImage", () => {
  it("rewrites only the pinned value of an app.yaml; comments and layout are untouched", () => {
    const next = `ghcr.io/acme/api:1.5.0@${D2}`;
    const edit = pinImage({
      file: "apps/api/app.yaml",
      text: APP_YAML,
      path: ["source", "image"],
      sameImage: same,
      next,
    });
    expect(edit).toEqual({
      kind: "edited",
      text: APP_YAML.replace(`ghcr.io/acme/api:1.4.2@${D1}`, next),
      previous: `ghcr.io/acme/api:1.4.2@${D1}`,
    });
  });

  it("keeps the value's quotes", () => {
    const text = `source:\n  type: image\n  image: "ghcr.io/acme/api:1.4.2"\n`;
    const edit = pinImage({
      file: "app.yaml",
      text,
      path: ["source", "image"],
      sameImage: same,
      next: `ghcr.io/acme/api:1.5.0@${D2}`,
    });
    expect(edit.kind === "edited" && edit.text).toBe(
      `source:\n  type: image\n  image: "ghcr.io/acme/api:1.5.0@${D2}"\n`,
    );
  });

  it("edits the [build] image of a fly.toml and nothing else", () => {
    const toml = `app = "acme-api" # the app\n\n[build]\n  # pinned\n  image = "ghcr.io/acme/api:1.4.2@${D1}"  # by Tower\n\n[env]\n  image = "not this one"\n`;
    const next = `ghcr.io/acme/api:1.5.0@${D2}`;
    const edit = pinImage({ file: "fly.toml", text: toml, path: ["build", "image"], sameImage: same, next });
    expect(edit.kind === "edited" && edit.text).toBe(toml.replace(`ghcr.io/acme/api:1.4.2@${D1}`, next));
  });

  it("is a conflict when the line now names another image, is gone, or the file does not parse; unchanged when equal", () => {
    const next = `ghcr.io/acme/api:1.5.0@${D2}`;
    const other = APP_YAML.replace("ghcr.io/acme/api", "ghcr.io/acme/other");
    expect(pinImage({ file: "app.yaml", text: other, path: ["source", "image"], sameImage: same, next })).toMatchObject(
      {
        kind: "conflict",
        reason: expect.stringContaining("now names ghcr.io/acme/other"),
      },
    );
    expect(
      pinImage({ file: "app.yaml", text: "app: x\n", path: ["source", "image"], sameImage: same, next }).kind,
    ).toBe("conflict");
    expect(pinImage({ file: "app.yaml", text: "a: [\n", path: ["source", "image"], sameImage: same, next }).kind).toBe(
      "conflict",
    );
    const pinned = APP_YAML.replace(`ghcr.io/acme/api:1.4.2@${D1}`, next);
    expect(pinImage({ file: "app.yaml", text: pinned, path: ["source", "image"], sameImage: same, next })).toEqual({
      kind: "unchanged",
    });
    const twice = `[build]\nimage = "ghcr.io/acme/api:1"\n[build]\nimage = "ghcr.io/acme/api:2"\n`;
    expect(pinImage({ file: "fly.toml", text: twice, path: ["build", "image"], sameImage: same, next }).kind).toBe(
      "conflict",
    );
  });
});
