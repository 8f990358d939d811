import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../src/config";
import { entryProblem, formatImagesFile } from "../../../src/config/images-file";

const options = { secrets: () => undefined, defaultOrg: "personal" };
const evaluate = (files: Record<string, string>, root?: string) =>
  evaluateTree(memoryFileTree(files), { ...options, ...(root ? { root } : {}) });
const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const fromApp = (name: string, file: string, service = "api") =>
  `app: ${name}\nprimary_region: arn\nsource:\n  type: image\n  from: ${file}\n  service: ${service}\n`;
const project = `project: acme
waves:
  - {name: staging, apps: [acme-stg-*]}
  - {name: production, apps: [acme-api], soak: 10m, approve: manual}
`;
const staging = formatImagesFile({ api: { digest: `ghcr.io/acme/api@${D(1)}`, tag: "ghcr.io/acme/api:1.2.0" } });

describe("images files and waves in config", () => {
  it("an app reads its image from its wave's file; waves resolve to apps, files and images", async () => {
    const result = await evaluate({
      "project.yaml": project,
      "images/staging.json": staging,
      "stg/app.yaml": fromApp("acme-stg-api", "images/staging.json"),
      "prod/app.yaml": fromApp("acme-api", "images/production.json"),
    });
    expect(result.errors).toEqual([]);
    const stg = result.apps.find((a) => a.name === "acme-stg-api")!;
    expect(stg.source).toEqual({
      type: "image",
      image: `ghcr.io/acme/api:1.2.0@${D(1)}`,
      from: { file: "images/staging.json", service: "api" },
    });
    // Nothing promoted to production yet: that app waits (a warning), it is not an error.
    expect(result.apps.map((a) => a.name)).toEqual(["acme-stg-api"]);
    expect(result.warnings.map((w) => `${w.file}:${w.line} ${w.message}`)).toEqual([
      "prod/app.yaml:5 images/production.json does not exist yet: the app deploys once a digest is announced or promoted to it",
    ]);
    expect(result.waves).toEqual({
      gate: null,
      waves: [
        {
          name: "staging",
          apps: ["acme-stg-api"],
          waiting: [],
          services: ["api"],
          file: "images/staging.json",
          images: JSON.parse(staging),
          soakMs: 0,
          approve: "auto",
        },
        {
          name: "production",
          apps: [],
          waiting: ["acme-api"],
          services: ["api"],
          file: "images/production.json",
          images: {},
          soakMs: 600_000,
          approve: "manual",
        },
      ],
    });
  });

  it("a new digest in the file changes the app's hash", async () => {
    const files = { "images/staging.json": staging, "stg/app.yaml": fromApp("acme-stg-api", "images/staging.json") };
    const before = await evaluate(files);
    const next = formatImagesFile({ api: { digest: `ghcr.io/acme/api@${D(2)}` } });
    const after = await evaluate({ ...files, "images/staging.json": next });
    expect(after.apps[0]!.source).toMatchObject({ image: `ghcr.io/acme/api@${D(2)}` });
    expect(after.apps[0]!.configHash).not.toBe(before.apps[0]!.configHash);
  });

  it("from is read from the root project's folder, not the app's", async () => {
    const result = await evaluate(
      {
        "deploy/project.yaml": "project: acme\n",
        "deploy/images/staging.json": staging,
        "deploy/a/b/app.yaml": fromApp("acme-stg-api", "images/staging.json"),
      },
      "deploy",
    );
    expect(result.errors).toEqual([]);
    expect(result.apps[0]!.source).toMatchObject({ from: { file: "deploy/images/staging.json" } });
  });

  it("refuses bad files and wave definitions, naming the place", async () => {
    const result = await evaluate({
      "project.yaml": "project: acme\n",
      "images/one.json": '{"api": {"tag": "ghcr.io/acme/api:1"}}',
      "images/other.json": staging,
      "a/app.yaml": fromApp("a", "images/one.json"),
      "b/app.yaml": `${fromApp("b", "images/other.json")}  image: nginx\n`,
    });
    expect(result.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([
      "a/app.yaml:5:9 images/one.json: api: no digest for tag ghcr.io/acme/api:1 (a tag alone can move; Tower deploys digests)",
      "b/app.yaml:7:10 give image or from, not both",
    ]);
    const badSoak = await evaluate({
      "project.yaml": "project: acme\nwaves:\n  - {name: two, apps: [b], soak: soon}\n",
    });
    expect(badSoak.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([
      "project.yaml:3:34 a duration: 30s, 10m, 2h",
    ]);
  });

  it("an app in two waves, or reading another wave's file, is an error", async () => {
    const result = await evaluate({
      "project.yaml": `project: acme\nwaves:\n  - {name: one, apps: [a, b]}\n  - {name: two, apps: [b]}\n`,
      "images/one.json": staging,
      "images/two.json": staging,
      "a/app.yaml": fromApp("a", "images/one.json"),
      "b/app.yaml": fromApp("b", "images/two.json"),
    });
    expect(result.errors.map((e) => e.message)).toEqual([
      "app b of wave one reads images/two.json, not the wave's images/one.json",
      "app b is in waves one and two",
    ]);
    expect(result.waves).toBeUndefined();
  });

  it("checks announced entries as cfgupdater shapes them", () => {
    const digest = `ghcr.io/acme/api@${D(3)}`;
    expect(entryProblem("api", { digest, tag: "ghcr.io/acme/api:1.0" })).toBeNull();
    expect(entryProblem("api", { digest, tag: "ghcr.io/acme/web:1.0" })).toBe(
      "api: digest repo ghcr.io/acme/api does not match tag repo ghcr.io/acme/web",
    );
    expect(entryProblem("api", { digest: "ghcr.io/acme/api:latest" })).toMatch(/is not <repo>@sha256/);
    expect(entryProblem("API", { digest })).toMatch(/is not a service name/);
  });
});
