/** Promotion waves: CI announces images (CI_TOKEN), anyone with a read token sees the waves, an admin approves. */
import { createRoute, z } from "@hono/zod-openapi";
import { projectStub } from "../../durable/stubs";
import { errorBody } from "../errors";
import {
  AnnounceBodySchema,
  ErrorSchema,
  PromoteAcceptedSchema,
  RefusedSchema,
  WavesSchema,
  WaveWrittenSchema,
} from "./schemas";
import type { Api } from "./type";

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
const tokenRefusals = {
  401: json(ErrorSchema, "Missing or wrong bearer token"),
  503: json(ErrorSchema, "The token this route needs is not configured"),
};

export const announceRoute = createRoute({
  method: "post",
  path: "/images",
  summary: "CI: announce built images; Tower commits them to the first wave's images file",
  security: [{ ciToken: [] }],
  request: { body: { content: { "application/json": { schema: AnnounceBodySchema } }, required: true } },
  responses: {
    200: json(WaveWrittenSchema, "The first wave's file already had these digests"),
    201: json(WaveWrittenSchema, "Committed (with gate: to the gate branch)"),
    400: json(RefusedSchema, "Unknown service, a tag without a digest, a digest not of the service's repo"),
    404: json(RefusedSchema, "Not found"),
    409: json(RefusedSchema, "No waves in config, or the commit could not be made"),
    413: json(ErrorSchema, "The body is larger than 1 MiB"),
    ...tokenRefusals,
  },
});

export const wavesRoute = createRoute({
  method: "get",
  path: "/waves",
  summary: "Each wave: its apps and their health, the digests it runs, what waits to be promoted into it and why",
  security: [{ apiToken: [] }],
  responses: { 200: json(WavesSchema, "The waves"), 400: json(ErrorSchema, "Invalid parameter"), ...tokenRefusals },
});

export const promoteRoute = createRoute({
  method: "post",
  path: "/waves/{wave}/promote",
  summary: "Admin: approve what waits to be promoted into an `approve: manual` wave",
  security: [{ adminToken: [] }],
  request: {
    params: z.object({
      wave: z
        .string()
        .min(1)
        .max(63)
        .openapi({ param: { name: "wave", in: "path" } }),
    }),
  },
  responses: {
    202: json(PromoteAcceptedSchema, "Approved: it is committed once the wave before is healthy and soaked"),
    400: json(RefusedSchema, "Invalid parameter"),
    404: json(RefusedSchema, "No such wave"),
    409: json(RefusedSchema, "Nothing to promote, or the wave before failed"),
    ...tokenRefusals,
  },
});

const STATUS: Record<string, 400 | 404 | 409> = {
  invalid_images: 400,
  not_found: 404,
  no_waves: 409,
  not_promotable: 409,
  write_failed: 409,
};

export function registerWaveRoutes(api: Api): void {
  api.openapi(announceRoute, async (c) => {
    const answer = await projectStub(c.env).announceImages(c.req.valid("json"));
    if (!answer.ok) {
      const refused = {
        error: { ...errorBody(answer.code, answer.problems.join("; ")).error, problems: answer.problems },
      };
      return c.json(refused, STATUS[answer.code]);
    }
    const { ok: _, ...written } = answer;
    return c.json(written, answer.result === "committed" ? 201 : 200);
  });

  api.openapi(wavesRoute, async (c) => c.json(await projectStub(c.env).wavesStatus(), 200));

  api.openapi(promoteRoute, async (c) => {
    const answer = await projectStub(c.env).promoteWave(c.req.valid("param").wave);
    if (!answer.ok) {
      const refused = {
        error: { ...errorBody(answer.code, answer.problems.join("; ")).error, problems: answer.problems },
      };
      return c.json(refused, STATUS[answer.code]);
    }
    const { ok: _, ...accepted } = answer;
    return c.json(accepted, 202);
  });
}
