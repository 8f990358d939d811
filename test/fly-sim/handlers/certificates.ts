/** ACME certificates: requested, listed, shown, deleted (never actually issued). */
import { type Ctx, json, type Reply } from "../context";
import { notFound } from "../http-error";
import { parseBody } from "../schemas/parse";
import { createAcmeCertificateRequest } from "../schemas/requests";
import type { SimCertificate } from "../world";
import { appOf } from "./lookup";

function detail(c: SimCertificate) {
  return {
    hostname: c.hostname,
    acme_requested: true,
    configured: false,
    status: "pending",
    certificates: [],
    validation_errors: [],
  };
}

export function createAcmeCertificate(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const req = parseBody(createAcmeCertificateRequest, ctx.body);
  const cert = app.certificates.get(req.hostname) ?? { hostname: req.hostname, createdAt: new Date().toISOString() };
  app.certificates.set(req.hostname, cert);
  return json(201, detail(cert));
}

export function listCertificates(ctx: Ctx): Reply {
  const certs = [...appOf(ctx).certificates.values()].map((c) => ({
    hostname: c.hostname,
    acme_requested: true,
    configured: false,
    status: "pending",
    created_at: c.createdAt,
    updated_at: c.createdAt,
  }));
  return json(200, { certificates: certs, total_count: certs.length });
}

export function showCertificate(ctx: Ctx): Reply {
  const cert = appOf(ctx).certificates.get(ctx.params.hostname ?? "");
  if (!cert) throw notFound(`certificate ${ctx.params.hostname}`);
  return json(200, detail(cert));
}

export function deleteCertificate(ctx: Ctx): Reply {
  const app = appOf(ctx);
  if (!app.certificates.delete(ctx.params.hostname ?? "")) throw notFound(`certificate ${ctx.params.hostname}`);
  return json(204);
}
