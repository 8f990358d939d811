/**
 * The Machines API side of one build, in steps safe to repeat: make sure the apps exist, start
 * the build machine (looking for it by name first, so a resumed build never starts a second one),
 * wait a bounded time for it to end and read its exit code from its events, destroy it.
 */
import { ensureApp as ensureAppReady } from "../client/app-ready";
import { exitCodeOf } from "../client/exit-code";
import type { FlyClient } from "../client/fly-client";
import type { CreateMachineRequest, FlyMachine } from "../client/fly-types";
import { isGone } from "../client/is-gone";
import type { BuilderSettings } from "./builder-settings";

export type BuildProgress =
  | { state: "running" }
  | { state: "exited"; exitCode: number }
  | { state: "lost"; reason: string };

/**
 * Creates the app when it does not exist (the builder app, or the app the image is pushed for);
 * false when a new app does not answer yet within `waitMs` (client/app-ready.ts): look again later.
 */
export async function ensureApp(client: FlyClient, name: string, org: string, waitMs = 3_000): Promise<boolean> {
  return ensureAppReady(client, name, org, { until: Date.now() + waitMs });
}

/** The build machine's id: the one of this name if a previous attempt made it, else a new one. */
export async function launchBuildMachine(
  client: FlyClient,
  settings: BuilderSettings,
  request: CreateMachineRequest,
): Promise<string> {
  const found = await findBuildMachine(client, settings, request.name ?? "");
  return (found ?? (await client.createMachine(settings.app, request, { oneOff: true }))).id;
}

export async function findBuildMachine(
  client: FlyClient,
  settings: BuilderSettings,
  name: string,
): Promise<FlyMachine | null> {
  // Deleted ones count: a build that already finished and was destroyed must not run again.
  const list = await client.listMachines(settings.app, { include_deleted: true });
  return list.find((m) => m.name === name) ?? null;
}

/** Waits up to `waitMs` for the machine to be destroyed, then reads how it ended. */
export async function checkBuildMachine(
  client: FlyClient,
  settings: BuilderSettings,
  id: string,
  waitMs: number,
): Promise<BuildProgress> {
  if (waitMs >= 1000) {
    const waited = await client.waitMachine(settings.app, id, {
      state: "destroyed",
      timeout: Math.floor(waitMs / 1000),
    });
    if (!waited.ok) return { state: "running" };
  }
  const machine = await client.getMachine(settings.app, id);
  if (!isGone(machine) && machine?.state !== "failed") return { state: "running" };
  const events = machine?.events?.length ? machine.events : await client.machineEvents(settings.app, id, 50);
  const code = exitCodeOf(events);
  if (typeof code === "number") return { state: "exited", exitCode: code };
  return { state: "lost", reason: `build machine ${id} ended (${machine?.state ?? "gone"}) without an exit event` };
}

/** Destroys the machine (a build past its time limit); true when it was still there. */
export async function destroyBuildMachine(client: FlyClient, settings: BuilderSettings, id: string) {
  return client.deleteMachine(settings.app, id, { force: true });
}
