/** IP assignments: v6, shared_v4, v4 and private_v6. */
import { type Ctx, json, type Reply } from "../context";
import { notFound } from "../http-error";
import { parseBody } from "../schemas/parse";
import { assignIpRequest } from "../schemas/requests";
import type { SimIp } from "../world";
import { appOf } from "./lookup";

function view(ip: SimIp) {
  return {
    ip: ip.ip,
    region: ip.region,
    service_name: ip.serviceName,
    shared: ip.type === "shared_v4",
    created_at: ip.createdAt,
  };
}

export function assignIp(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const req = parseBody(assignIpRequest, ctx.body);
  const n = ctx.core.world.ipSeq++;
  const address =
    req.type === "shared_v4"
      ? "66.241.124.11"
      : req.type === "v4"
        ? `137.66.${(n >> 8) & 255}.${n & 255}`
        : req.type === "private_v6"
          ? `fdaa:0:1:a7b:${n.toString(16)}:0:1:0`
          : `2a09:8280:1::${n.toString(16)}:0`;
  const ip: SimIp = {
    ip: address,
    type: req.type,
    region: req.region ?? "global",
    serviceName: req.service_name ?? "",
    ...(req.network ? { network: req.network } : {}),
    createdAt: new Date().toISOString(),
  };
  app.ips.push(ip);
  return json(200, view(ip));
}

export function listIps(ctx: Ctx): Reply {
  return json(200, { ips: appOf(ctx).ips.map(view) });
}

export function deleteIp(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const at = app.ips.findIndex((ip) => ip.ip === ctx.params.ip);
  if (at < 0) throw notFound(`ip assignment ${ctx.params.ip}`);
  app.ips.splice(at, 1);
  return json(204);
}
