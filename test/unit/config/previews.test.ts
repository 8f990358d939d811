import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree, previewApp, previewName } from "../../../src/config";

const options = {
  secrets: (key: string) => ({ APP_SECRET_PREVIEW_DB: "preview-db-url", APP_SECRET_PROD_DB: "prod" })[key],
  defaultOrg: "personal",
};
const evaluate = (files: Record<string, string>) => evaluateTree(memoryFileTree(files), options);
const gitApp = (name: string, extra = "") =>
  `app: ${name}\nprimary_region: arn\nsource:\n  type: git\n  repo: https://github.com/acme/${name}\n  ref:\n    branch: main\n` +
  `secrets:\n  - name: DATABASE_URL\n    env: APP_SECRET_PROD_DB\nhttp_service:\n  internal_port: 8080\nenv:\n  LOG: info\n  MODE: prod\n${extra}`;

describe("previews in app.yaml", () => {
  it("resolve with defaults and stay out of the app's own hash", async () => {
    const plain = await evaluate({ "app.yaml": gitApp("web") });
    const withPreviews = await evaluate({ "app.yaml": gitApp("web", "previews:\n  enabled: true\n") });
    const app = withPreviews.apps[0]!;
    expect(withPreviews.errors).toEqual([]);
    expect(app.configHash).toBe(plain.apps[0]!.configHash);
    expect(app.previews).toMatchObject({
      name: "<app>-pr-<number>",
      secrets: [],
      ttlHours: 168,
      forks: false,
      max: 20,
    });
    const capped = await evaluate({ "app.yaml": gitApp("web", "previews:\n  enabled: true\n  max: 3\n") });
    expect(capped.apps[0]!.previews?.max).toBe(3);
    expect(capped.apps[0]!.configHash).toBe(plain.apps[0]!.configHash);
    expect(app.config.previews).toBeUndefined();
    expect(plain.apps[0]!.previews).toBeUndefined();
  });

  it("name the line of a bad field and refuse previews of an image app", async () => {
    const bad = await evaluate({ "app.yaml": gitApp("web", "previews:\n  enabled: true\n  ttl: soon\n") });
    expect(bad.errors[0]).toMatchObject({ file: "app.yaml", line: 18, path: "previews.ttl" });
    const image = await evaluate({
      "app.yaml": "app: img\nprimary_region: arn\nsource:\n  type: image\n  image: nginx\npreviews:\n  enabled: true\n",
    });
    expect(image.errors[0]).toMatchObject({
      file: "app.yaml",
      line: 7,
      message: expect.stringContaining("git source"),
    });
    const noNumber = await evaluate({
      "app.yaml": gitApp("web", "previews:\n  enabled: true\n  name: <app>-preview\n"),
    });
    expect(noNumber.errors[0]?.message).toContain("<number>");
  });

  it("derive the preview: own name, PR head commit, one stopped-when-idle machine, only preview secrets", async () => {
    const extra =
      "previews:\n  enabled: true\n  region: ams\n  env:\n    MODE: preview\n  secrets:\n    - name: DATABASE_URL\n      env: APP_SECRET_PREVIEW_DB\n  ttl: 36h\n";
    const app = (await evaluate({ "app.yaml": gitApp("web", extra) })).apps[0]!;
    const head = "a".repeat(40);
    const preview = previewApp(app, app.previews!, { number: 12, commit: head });
    expect(preview.name).toBe("web-pr-12");
    expect(preview.source).toMatchObject({ type: "git", repo: "github.com/acme/web", ref: { commit: head } });
    expect(preview.regions).toEqual(["ams"]);
    expect(preview.config).toMatchObject({
      app: "web-pr-12",
      machines: { count: 1 },
      env: { LOG: "info", MODE: "preview" },
      http_service: { internal_port: 8080, auto_stop_machines: "stop", min_machines_running: 0 },
    });
    expect(preview.secrets).toEqual([{ name: "DATABASE_URL", from: "env", key: "APP_SECRET_PREVIEW_DB" }]);
    expect(preview.secretsDigest).not.toBe(app.secretsDigest);
    expect(app.previews!.ttlHours).toBe(36);
    const moved = previewApp(app, app.previews!, { number: 12, commit: "b".repeat(40) });
    expect(moved.configHash).not.toBe(preview.configHash);
  });

  it("shorten long names with a hash, keeping them valid and distinct", () => {
    const long = "a-very-long-application-name-that-a-team-chose-for-reasons";
    const one = previewName("<app>-pr-<number>", long, 1);
    const two = previewName("<app>-pr-<number>", long, 2);
    expect(previewName("pr-<number>-<app>", "web", 7)).toBe("pr-7-web");
    for (const name of [one, two]) expect(name).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])$/);
    expect(one).not.toBe(two);
  });
});
