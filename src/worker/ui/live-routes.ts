/**
 * What the live tail polls: events after a seq and the apps' current statuses, as JSON for the
 * script. Session-checked like the pages (the browser holds no bearer token), one Worker request
 * per poll; see docs/dashboard.md for why this is polling and not server-sent events.
 */
import type { Hono } from "hono";
import type { AppSummary, StoredEvent } from "../../durable/contract";
import { appStub, projectStub } from "../../durable/stubs";
import { knownApp } from "../api/known-app";
import { RequestError } from "../errors";
import { badgeClass } from "./components/badge";
import { type TailLine, tailLine } from "./event-text";
import type { UiEnv } from "./viewer";

export interface LiveApp {
  name: string;
  status: string;
  badge: string;
  release: string;
  /** When the last deploy started (ISO 8601), or null. */
  startedAt: string | null;
  /** What the last deploy is doing, for the tail line a status change adds. */
  line: string;
}

export interface LiveAnswer {
  events: TailLine[];
  next: number;
  apps: LiveApp[];
}

const PAGE = 100;

export function registerLive(ui: Hono<UiEnv>): void {
  ui.get("/ui/live", async (c) => {
    const after = readAfter(c.req.query("after"));
    const project = projectStub(c.env);
    // `data` is `Record<string, unknown>`, which RPC typing cannot see through: name the type.
    const [events, apps]: [StoredEvent[], AppSummary[]] = await Promise.all([
      project.events(after, PAGE),
      project.listApps(),
    ]);
    return c.json(
      answer(
        events.map((e) => tailLine("config", e)),
        after,
        apps,
      ),
    );
  });

  ui.get("/ui/live/apps/:app", async (c) => {
    const after = readAfter(c.req.query("after"));
    const fromConfig = await knownApp(c.env, c.req.param("app"));
    const stub = appStub(c.env, fromConfig.name);
    const [events, summary]: [StoredEvent[], AppSummary | null] = await Promise.all([
      stub.events(after, PAGE),
      stub.summary(),
    ]);
    return c.json(
      answer(
        events.map((e) => tailLine(fromConfig.name, e)),
        after,
        [summary ?? fromConfig],
      ),
    );
  });
}

function answer(lines: TailLine[], after: number, apps: AppSummary[]): LiveAnswer {
  return {
    // Newest last, as the script prepends each in turn.
    events: lines,
    next: lines.at(-1)?.seq ?? after,
    apps: apps.map((app) => ({
      name: app.name,
      status: app.status,
      badge: badgeClass(app.status),
      release: app.lastDeploy ? String(app.lastDeploy.release) : "—",
      startedAt: app.lastDeploy?.startedAt ?? null,
      line: app.lastDeploy
        ? `release ${app.lastDeploy.release} ${app.lastDeploy.outcome} (${app.lastDeploy.cause})`
        : "",
    })),
  };
}

function readAfter(value: string | undefined): number {
  const after = Number(value ?? "0");
  if (!Number.isSafeInteger(after) || after < 0)
    throw new RequestError("invalid_query", "after must be a whole number ≥ 0", { field: "after" });
  return after;
}
