/** The read-only pages. Each reads the same Durable Object methods as the JSON API's routes. */
import type { Hono } from "hono";
import { isDeployCursor } from "../../durable/app/deploy-cursor";
import type { AppSummary, StoredEvent } from "../../durable/contract";
import { appStub, projectStub } from "../../durable/stubs";
import { knownApp } from "../api/known-app";
import { RequestError } from "../errors";
import { readAppListQuery, selectApps } from "./app-list-query";
import { tailLine } from "./event-text";
import { AppPage } from "./pages/app-page";
import { AppsPage } from "./pages/apps-page";
import { DeployPage } from "./pages/deploy-page";
import type { UiEnv } from "./viewer";

/** Lines the tail starts with, server-rendered. */
const TAIL_START = { project: 15, app: 50 };

export function registerPages(ui: Hono<UiEnv>, can: { rollback: boolean; unpin: boolean }, now: () => number): void {
  ui.get("/", async (c) => {
    const project = projectStub(c.env);
    const [all, config, latest] = await Promise.all([
      project.listApps(),
      project.configStatus(),
      project.latestEvents(TAIL_START.project),
    ]);
    const query = readAppListQuery(c.req.query());
    // `data` is `Record<string, unknown>`, which RPC typing cannot see through: name the type.
    const lines = (latest as StoredEvent[]).map((event) => tailLine("config", event));
    const tail = { lines, after: lines[0]?.seq ?? 0 };
    return c.html(
      <AppsPage
        viewer={c.get("viewer")}
        now={now()}
        config={config}
        all={all}
        shown={selectApps([...all], query)}
        query={query}
        tail={tail}
      />,
    );
  });

  ui.get("/apps/:app", async (c) => {
    const fromConfig = await knownApp(c.env, c.req.param("app"));
    const cursor = c.req.query("cursor");
    if (cursor !== undefined && !isDeployCursor(cursor))
      throw new RequestError("invalid_query", "the deploys cursor is not one Tower gave out", { field: "cursor" });
    const stub = appStub(c.env, fromConfig.name);
    const [live, deploys, latest] = await Promise.all([
      stub.summary(),
      stub.deploys({ cursor, limit: 20 }),
      stub.latestEvents(TAIL_START.app),
    ]);
    const lines = (latest as StoredEvent[]).map((event) => tailLine(fromConfig.name, event));
    const tail = { lines, after: lines[0]?.seq ?? 0 };
    return c.html(
      <AppPage
        viewer={c.get("viewer")}
        now={now()}
        app={withPreview(live, fromConfig)}
        deploys={deploys}
        can={can}
        tail={tail}
      />,
    );
  });

  ui.get("/apps/:app/deploys/:id", async (c) => {
    const { name } = await knownApp(c.env, c.req.param("app"));
    const id = c.req.param("id");
    const deploy = await appStub(c.env, name).deploy(id);
    if (!deploy) throw new RequestError("unknown_deploy", `app "${name}" has no deploy "${id}"`, { app: name, id });
    return c.html(<DeployPage viewer={c.get("viewer")} now={now()} app={name} deploy={deploy} />);
  });
}

/** The AppDO's own summary when it has one; a preview's link to its pull request only the project knows. */
function withPreview(live: AppSummary | null, fromConfig: AppSummary): AppSummary {
  if (!live) return fromConfig;
  return fromConfig.preview ? { ...live, preview: fromConfig.preview } : live;
}
