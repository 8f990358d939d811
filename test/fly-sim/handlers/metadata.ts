/** Machine metadata without a restart (what flyctl uses to tag machines). */
import { type Ctx, json, type Reply } from "../context";
import { notFound, preconditionFailed } from "../http-error";
import { parseBody } from "../schemas/parse";
import { updateMetadataRequest, upsertMetadataKeyRequest } from "../schemas/requests";
import { isLive, type SimMachine } from "../world";
import { requireLease } from "./leases";
import { machineOf } from "./lookup";

function writable(ctx: Ctx): SimMachine {
  const m = machineOf(ctx);
  if (!isLive(m)) throw preconditionFailed(`machine ${m.id} is ${m.state}`);
  requireLease(ctx, m);
  return m;
}

export function showMetadata(ctx: Ctx): Reply {
  return json(200, machineOf(ctx).config.metadata ?? {});
}

export function replaceMetadata(ctx: Ctx): Reply {
  const m = writable(ctx);
  const req = parseBody(updateMetadataRequest, ctx.body);
  if (req.machine_version !== undefined && req.machine_version !== m.instanceId)
    throw preconditionFailed(`machine ${m.id} is at version ${m.instanceId}, not ${req.machine_version}`);
  m.config = { ...m.config, metadata: { ...req.metadata } };
  return json(204);
}

export function getMetadataKey(ctx: Ctx): Reply {
  const value = machineOf(ctx).config.metadata?.[ctx.params.key ?? ""];
  if (value === undefined) throw notFound(`metadata key ${ctx.params.key}`);
  return json(200, { value });
}

export function upsertMetadataKey(ctx: Ctx): Reply {
  const m = writable(ctx);
  const req = parseBody(upsertMetadataKeyRequest, ctx.body);
  m.config = { ...m.config, metadata: { ...m.config.metadata, [ctx.params.key ?? ""]: req.value } };
  return json(204);
}

export function deleteMetadataKey(ctx: Ctx): Reply {
  const m = writable(ctx);
  const { [ctx.params.key ?? ""]: _gone, ...rest } = m.config.metadata ?? {};
  m.config = { ...m.config, metadata: rest };
  return json(204);
}
