/** App secrets with versions; values are never returned unless asked for with show_secrets. */
import { createHash } from "node:crypto";
import { type Ctx, json, type Reply } from "../context";
import { notFound } from "../http-error";
import { parseBody } from "../schemas/parse";
import { appSecretsUpdateRequest, setAppSecretRequest } from "../schemas/requests";
import type { SimApp } from "../world";
import { appOf, queryBool } from "./lookup";

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 16);
}

function put(app: SimApp, name: string, value: string) {
  const now = new Date().toISOString();
  const old = app.secrets.get(name);
  app.secrets.set(name, { value, digest: digest(value), createdAt: old?.createdAt ?? now, updatedAt: now });
}

function view(app: SimApp, name: string, show: boolean) {
  const s = app.secrets.get(name);
  if (!s) throw notFound(`secret ${name}`);
  return {
    name,
    digest: s.digest,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    ...(show ? { value: s.value } : {}),
  };
}

export function updateSecrets(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const req = parseBody(appSecretsUpdateRequest, ctx.body);
  for (const [name, value] of Object.entries(req.values)) put(app, name, value);
  app.secretsVersion++;
  const secrets = [...app.secrets.keys()].sort().map((n) => view(app, n, false));
  return json(200, { version: app.secretsVersion, Version: app.secretsVersion, secrets });
}

export function listSecrets(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const show = queryBool(ctx, "show_secrets");
  return json(200, { secrets: [...app.secrets.keys()].sort().map((n) => view(app, n, show)) });
}

export function showSecret(ctx: Ctx): Reply {
  const app = appOf(ctx);
  return json(200, view(app, ctx.params.secret_name ?? "", queryBool(ctx, "show_secrets")));
}

export function setSecret(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const req = parseBody(setAppSecretRequest, ctx.body);
  const name = ctx.params.secret_name ?? "";
  put(app, name, req.value);
  app.secretsVersion++;
  return json(201, { ...view(app, name, false), version: app.secretsVersion, Version: app.secretsVersion });
}

export function deleteSecret(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const name = ctx.params.secret_name ?? "";
  if (!app.secrets.delete(name)) throw notFound(`secret ${name}`);
  app.secretsVersion++;
  return json(200, { version: app.secretsVersion, Version: app.secretsVersion });
}
