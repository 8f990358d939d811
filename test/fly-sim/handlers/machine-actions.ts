/** Start, stop, restart, suspend, signal, cordon and uncordon: all need the lease when one is held. */
import { type Ctx, json, type Reply } from "../context";
import { preconditionFailed } from "../http-error";
import { parseBody } from "../schemas/parse";
import { signalRequest, stopRequest } from "../schemas/requests";
import { isLive, type SimMachine } from "../world";
import { requireLease } from "./leases";
import { machineOf } from "./lookup";

function liveMachine(ctx: Ctx): SimMachine {
  const m = machineOf(ctx);
  if (!isLive(m)) throw preconditionFailed(`machine ${m.id} is ${m.state}`);
  requireLease(ctx, m);
  return m;
}

export function startMachine(ctx: Ctx): Reply {
  const m = liveMachine(ctx);
  if (m.state !== "stopped" && m.state !== "created" && m.state !== "suspended")
    throw preconditionFailed(`unable to start machine from current state: '${m.state}'`);
  const previous = m.state;
  ctx.core.runtime.event(m, "start", "starting", "user");
  ctx.core.runtime.launch(m);
  return json(200, { previous_state: previous, migrated: false, new_host: "" });
}

export function stopMachine(ctx: Ctx): Reply {
  const m = liveMachine(ctx);
  if (ctx.body !== undefined) parseBody(stopRequest, ctx.body);
  if (m.state === "stopped" || m.state === "created")
    throw preconditionFailed(`unable to stop machine from current state: '${m.state}'`);
  ctx.core.runtime.stop(m);
  return json(200, { ok: true });
}

export function restartMachine(ctx: Ctx): Reply {
  const m = liveMachine(ctx);
  if (m.state !== "started") throw preconditionFailed(`unable to restart machine from current state: '${m.state}'`);
  ctx.core.runtime.event(m, "restart", "replacing", "user");
  delete m.startedAt;
  ctx.core.runtime.replace(m, true);
  return json(200, { ok: true });
}

export function suspendMachine(ctx: Ctx): Reply {
  const m = liveMachine(ctx);
  if (m.state !== "started") throw preconditionFailed(`unable to suspend machine from current state: '${m.state}'`);
  ctx.core.runtime.set(m, "suspended");
  ctx.core.runtime.event(m, "suspend", "suspended", "user");
  return json(200, { ok: true });
}

export function signalMachine(ctx: Ctx): Reply {
  const m = liveMachine(ctx);
  const req = parseBody(signalRequest, ctx.body);
  if (m.state !== "started") throw preconditionFailed(`machine ${m.id} is not running`);
  if (req.signal === "SIGKILL" || req.signal === "SIGTERM" || req.signal === "SIGINT") ctx.core.runtime.stop(m);
  return json(200, { ok: true });
}

export function cordonMachine(ctx: Ctx): Reply {
  liveMachine(ctx).cordoned = true;
  return json(200, { ok: true });
}

export function uncordonMachine(ctx: Ctx): Reply {
  liveMachine(ctx).cordoned = false;
  return json(200, { ok: true });
}
