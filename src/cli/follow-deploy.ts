/**
 * After an admin request (sync, rollback, unpin): find the deploy it queued, and with --wait
 * follow it to its end, printing each step as the API shows it. The API answers 202 before the
 * deploy exists, so the new deploy is the one whose id was not listed before the request.
 */
import type { DeployDetail, DeployPage, DeploySummary } from "./api-types";
import { between } from "./format";
import { appPath, type TowerApi, TowerApiError } from "./tower-api";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deployIds(api: TowerApi, app: string): Promise<Set<string>> {
  const page = await api.get<DeployPage>(appPath(app, "/deploys?limit=20"));
  return new Set(page.items.map((d) => d.id));
}

/** The newest deploy not in `before`, once one is listed; null after `timeoutMs`. */
export async function newDeploy(
  api: TowerApi,
  app: string,
  before: Set<string>,
  timeoutMs: number,
): Promise<DeploySummary | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await api.get<DeployPage>(appPath(app, "/deploys?limit=20"));
    const fresh = page.items.find((d) => !before.has(d.id));
    if (fresh) return fresh;
    if (Date.now() > deadline) return null;
    await sleep(250);
  }
}

/** Polls the deploy until it is no longer running; `onStep` sees each step once, in order. */
export async function followDeploy(
  api: TowerApi,
  app: string,
  id: string,
  options: { timeoutMs: number; onStep?: (step: DeployDetail["steps"][number]) => void },
): Promise<DeployDetail> {
  const deadline = Date.now() + options.timeoutMs;
  let shown = 0;
  for (;;) {
    const detail = await api.get<DeployDetail>(appPath(app, `/deploys/${encodeURIComponent(id)}`)).catch((e) => {
      // A queued deploy has no detail yet: it answers 404 until it starts.
      if (e instanceof TowerApiError && e.code === "unknown_deploy") return null;
      throw e;
    });
    if (detail) {
      for (; shown < detail.steps.length; shown++) options.onStep?.(detail.steps[shown]!);
      if (detail.outcome !== "running") return detail;
    }
    if (Date.now() > deadline)
      throw new TowerApiError("wait_timeout", `deploy ${id} of ${app} still runs after ${options.timeoutMs / 1000} s`);
    await sleep(400);
  }
}

export function stepLine(step: DeployDetail["steps"][number]): string {
  const took = between(step.startedAt, step.finishedAt);
  return `  ${step.name.padEnd(22)} ${step.outcome.padEnd(7)} ${took.padStart(7)}${step.message ? `  ${step.message}` : ""}`;
}

export function outcomeLine(app: string, d: DeployDetail | DeploySummary): string {
  const release = d.release > 0 ? ` release ${d.release}` : "";
  const took = d.finishedAt ? ` in ${between(d.startedAt, d.finishedAt)}` : "";
  const error = "error" in d && d.error ? `: ${d.error}` : "";
  return `${app}: deploy ${d.id}${release} ${d.outcome}${took}${error}`;
}
