/** Wait (blocks until a state/version or answers 408), events, versions. */
import { echoConfig } from "../config-echo";
import { type Ctx, json, type Reply } from "../context";
import { badRequest, notFound, SimHttpError } from "../http-error";
import { machineOf } from "./lookup";

const WAIT_STATES = new Set(["started", "stopped", "suspended", "destroyed", "failed", "settled"]);

export async function waitMachine(ctx: Ctx): Promise<Reply> {
  const m = machineOf(ctx);
  // A machine already destroyed is not there to wait on: flyctl (internal/machine/leasable_machine.go
  // WaitForState) reads this 404 as "destroyed" when that is what it waits for.
  if (m.state === "destroyed") throw notFound("machine");
  const states = (ctx.query.getAll("state").join(",") || "started").split(",").filter(Boolean);
  for (const s of states) if (!WAIT_STATES.has(s)) throw badRequest(`state: "${s}" is not one of ${[...WAIT_STATES]}`);
  const version = ctx.query.get("version") ?? ctx.query.get("instance_id") ?? undefined;
  if (version !== undefined && version.length !== 26) throw badRequest("version: expected a 26-character version id");
  if (states.includes("stopped") && version === undefined)
    throw badRequest("version (or instance_id) is required when waiting for stopped");
  const timeoutRaw = ctx.query.get("timeout") ?? "60";
  if (!/^\d+$/.test(timeoutRaw)) throw badRequest("timeout: expected whole seconds");
  const timeout = Number(timeoutRaw);
  if (timeout < 1 || timeout > 60) throw badRequest("timeout: must be between 1 and 60 seconds");
  const ok = await ctx.core.runtime.waitFor(m, states, version, timeout * ctx.core.runtime.timings.secondMs);
  if (!ok) throw new SimHttpError(408, `deadline_exceeded: timeout waiting for machine to be ${states.join(" or ")}`);
  return json(200, { ok: true, state: m.state, version: m.instanceId, event_id: m.events[0]?.id ?? "" });
}

export function listEvents(ctx: Ctx): Reply {
  const m = machineOf(ctx);
  const raw = ctx.query.get("limit");
  if (raw !== null && !/^\d+$/.test(raw)) throw badRequest("limit: expected an integer");
  const limit = Math.min(raw === null ? 20 : Number(raw), 50);
  return json(200, m.events.slice(0, limit));
}

export function listVersions(ctx: Ctx): Reply {
  const m = machineOf(ctx);
  return json(
    200,
    m.versions.map((v) => ({ version: v.version, user_config: echoConfig(v.config) })),
  );
}
