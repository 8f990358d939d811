/** Machines: create, list, show, update, delete. */
import { type Ctx, json, type Reply } from "../context";
import { badRequest, conflict, notFound, preconditionFailed, unprocessable } from "../http-error";
import { machineId, ulid } from "../ids";
import type { MachineConfig } from "../schemas/machine-config";
import { parseBody } from "../schemas/parse";
import { createMachineRequest, updateMachineRequest } from "../schemas/requests";
import { machineView } from "../views";
import { isLive, type SimApp, type SimMachine } from "../world";
import { grantLease, requireLease } from "./leases";
import { appOf, machineOf, queryBool } from "./lookup";
import { checkMounts, sameMounts } from "./mounts";

function checkSecretsVersion(app: SimApp, wanted: number | undefined) {
  if (wanted !== undefined && wanted > app.secretsVersion)
    throw badRequest(`min_secrets_version ${wanted} is above the app's secrets version ${app.secretsVersion}`);
}

/**
 * `files[].raw_value` is base64 ("The base64 encoded string of the file contents", API description
 * fly.File.raw_value; flyctl encodes fly.toml's plain text before sending): Go's decoder refuses
 * anything else, and so does the simulator, with 400 naming the file.
 */
function checkFiles(config: MachineConfig) {
  for (const [i, f] of (config.files ?? []).entries())
    if (f.raw_value !== undefined && !(f.raw_value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(f.raw_value)))
      throw badRequest(`config.files[${i}].raw_value (${f.guest_path}): illegal base64 data`);
}

function checkName(ctx: Ctx, app: string, name: string, self?: string) {
  for (const m of ctx.core.world.machines.values())
    if (m.app === app && m.name === name && m.id !== self && isLive(m))
      throw conflict(`unique machine name violation, machine ID ${m.id} already exists with name "${name}"`);
}

export function createMachine(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const req = parseBody(createMachineRequest, ctx.body);
  checkFiles(req.config);
  if (!ctx.core.regions.has(req.region)) throw unprocessable(`region: unknown region "${req.region}"`);
  checkSecretsVersion(app, req.min_secrets_version);
  const id = machineId();
  const name = req.name ?? `machine-${id.slice(0, 6)}`;
  checkName(ctx, app.name, name);
  const volumes = checkMounts(ctx, app.name, req.region, req.config.mounts ?? []);
  const now = new Date().toISOString();
  const instanceId = ulid();
  const m: SimMachine = {
    id,
    app: app.name,
    name,
    region: req.region,
    state: "created",
    config: req.config,
    instanceId,
    versions: [{ version: instanceId, config: req.config }],
    events: [],
    createdAt: now,
    updatedAt: now,
    privateIp: `fdaa:0:1:a7b:${(ctx.core.world.ipSeq++).toString(16)}::2`,
    pastNonces: new Map(),
    cordoned: false,
    skipServiceRegistration: req.skip_service_registration ?? false,
    restartCount: 0,
    generation: 0,
  };
  ctx.core.world.machines.set(id, m);
  for (const v of volumes) v.attachedMachineId = id;
  ctx.core.runtime.event(m, "launch", "created", "user");
  if (req.skip_launch) ctx.core.runtime.park(m);
  else ctx.core.runtime.launch(m);
  const view = machineView(ctx.core, m);
  if (req.lease_ttl !== undefined) view.nonce = grantLease(ctx, m, req.lease_ttl).nonce;
  return json(200, view);
}

export function listMachines(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const includeDeleted = queryBool(ctx, "include_deleted");
  const region = ctx.query.get("region");
  const states = ctx.query.get("state")?.split(",").filter(Boolean);
  const summary = queryBool(ctx, "summary");
  const list = [...ctx.core.world.machines.values()].filter(
    (m) =>
      m.app === app.name &&
      (includeDeleted || m.state !== "destroyed") &&
      (!region || m.region === region) &&
      (!states || states.includes(m.state)),
  );
  return json(
    200,
    list.map((m) => machineView(ctx.core, m, summary)),
  );
}

export function showMachine(ctx: Ctx): Reply {
  return json(200, machineView(ctx.core, machineOf(ctx)));
}

export function updateMachine(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const m = machineOf(ctx);
  if (!isLive(m)) throw preconditionFailed(`machine ${m.id} is ${m.state}`);
  requireLease(ctx, m);
  const req = parseBody(updateMachineRequest, ctx.body);
  checkFiles(req.config);
  if (req.current_version !== undefined && req.current_version !== m.instanceId)
    throw preconditionFailed(`machine ${m.id} is at version ${m.instanceId}, not ${req.current_version}`);
  if (req.region !== undefined && req.region !== m.region)
    throw unprocessable(`region: a machine cannot move from ${m.region} to ${req.region}`);
  checkSecretsVersion(app, req.min_secrets_version);
  if (req.name !== undefined) checkName(ctx, app.name, req.name, m.id);
  let config: MachineConfig = req.config;
  if (!sameMounts(m.config.mounts, req.config.mounts)) {
    checkMounts(ctx, app.name, m.region, req.config.mounts ?? [], m.id);
    // Fly keeps the volume where it is: an update cannot add, change or drop a mount.
    ctx.core.bump("ignoredMountChanges", app.name);
    const { mounts: _ignored, ...rest } = req.config;
    config = m.config.mounts ? { ...rest, mounts: m.config.mounts } : rest;
  }
  m.config = config;
  if (req.name !== undefined) m.name = req.name;
  if (req.skip_service_registration !== undefined) m.skipServiceRegistration = req.skip_service_registration;
  m.instanceId = ulid();
  m.versions.unshift({ version: m.instanceId, config });
  delete m.startedAt;
  m.restartCount = 0;
  ctx.core.runtime.event(m, "update", "replacing", "user");
  ctx.core.runtime.replace(m, !req.skip_launch);
  return json(200, machineView(ctx.core, m));
}

export function deleteMachine(ctx: Ctx): Reply {
  const m = machineOf(ctx);
  if (m.state === "destroyed") throw notFound("machine");
  requireLease(ctx, m);
  if (m.state === "destroying") return json(200, { ok: true });
  const running = m.state === "started" || m.state === "starting" || m.state === "replacing";
  if (running && !queryBool(ctx, "force"))
    throw preconditionFailed(`machine ${m.id} is ${m.state}: stop it first or pass force=true`);
  ctx.core.runtime.destroy(m, "user");
  return json(200, { ok: true });
}
