/**
 * The shape every admin command shares: note the deploys the app has, send the request, name the
 * deploy it queued, and with --wait follow it to the end (exit 1 unless it succeeded).
 */
import { secondsFlag } from "./api-options";
import type { DeployDetail, DeploySummary } from "./api-types";
import type { Args } from "./args";
import { deployIds, followDeploy, newDeploy, outcomeLine, stepLine } from "./follow-deploy";
import { printJson } from "./print";
import type { TowerApi } from "./tower-api";

export async function startAndFollow(
  api: TowerApi,
  args: Args,
  app: string,
  request: () => Promise<unknown>,
  options: { appearMs?: number; noDeploy?: string } = {},
): Promise<number> {
  const before = await deployIds(api, app);
  const answer = await request();
  const named = deployIdIn(answer);
  const found: Pick<DeploySummary, "id"> | null = named
    ? { id: named }
    : await newDeploy(api, app, before, options.appearMs ?? 30_000);
  const json = !!args.flags.json;
  const out = (line: string) => {
    if (!json) process.stdout.write(`${line}\n`);
  };
  if (!found) {
    out(`${app}: ${options.noDeploy ?? "no deploy started"}`);
    if (json) printJson({ app, answer, deploy: null });
    return 0;
  }
  if (!args.flags.wait) {
    const summary = "release" in found ? (found as DeploySummary) : null;
    out(`${app}: deploy ${found.id} queued${summary ? ` (cause ${summary.cause})` : ""}`);
    if (json) printJson({ app, answer, deploy: summary ?? found });
    return 0;
  }
  out(`${app}: deploy ${found.id} queued; following it (Ctrl-C stops following, not the deploy)`);
  const detail: DeployDetail = await followDeploy(api, app, found.id, {
    timeoutMs: secondsFlag(args, "timeout", 600),
    onStep: (step) => out(stepLine(step)),
  });
  out(outcomeLine(app, detail));
  if (json) printJson({ app, answer, deploy: detail });
  return detail.outcome === "succeeded" ? 0 : 1;
}

/** A deploy id in the API's answer, when the route gives one (`deployId` or `deploy.id`). */
function deployIdIn(answer: unknown): string | null {
  if (!answer || typeof answer !== "object") return null;
  const a = answer as { deployId?: unknown; deploy?: { id?: unknown } };
  if (typeof a.deployId === "string") return a.deployId;
  if (typeof a.deploy?.id === "string") return a.deploy.id;
  return null;
}
