/** The API's routes as OpenAPI descriptions: paths, parameters, response shapes. */
import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import {
  AcceptedSchema,
  AppListSchema,
  AppSummarySchema,
  ConfigStatusSchema,
  DeployDetailSchema,
  DeployOutcomeSchema,
  DeployPageSchema,
  ErrorSchema,
  EventListSchema,
  ImagesSchema,
  RollbackAcceptedSchema,
  RollbackBodySchema,
  UnpinResultSchema,
} from "./schemas";

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
const refusals = {
  400: json(ErrorSchema, "Invalid parameter"),
  401: json(ErrorSchema, "Missing or wrong bearer token"),
  503: json(ErrorSchema, "The token this route needs is not configured"),
};
const notAnApp = { 404: json(ErrorSchema, "Not an app in config") };

/** A route as written below; `P` keeps its path a literal type, as createRoute's own does. */
type Described = Omit<RouteConfig, "security" | "path">;

/** A route for the API token, with the refusals every route may answer. */
const readRoute = <P extends string, R extends Described & { path: P }>(route: R) =>
  createRoute({ ...route, security: [{ apiToken: [] }], responses: { ...route.responses, ...refusals } });

/** A route for the admin token, with the refusals every route may answer. */
const adminRoute = <P extends string, R extends Described & { path: P }>(route: R) =>
  createRoute({ ...route, security: [{ adminToken: [] }], responses: { ...route.responses, ...refusals } });

const appParam = z.object({
  app: z
    .string()
    .min(1)
    .max(63)
    .openapi({ param: { name: "app", in: "path" }, example: "my-app" }),
});
const afterQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).openapi({ description: "Return events with seq > after" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const listAppsRoute = readRoute({
  method: "get",
  path: "/apps",
  summary: "Every app known to config, with its status",
  responses: { 200: json(AppListSchema, "The apps") },
});

export const getAppRoute = readRoute({
  method: "get",
  path: "/apps/{app}",
  summary: "One app: status, desired vs deployed, last deploy",
  request: { params: appParam },
  responses: { 200: json(AppSummarySchema, "The app"), ...notAnApp },
});

export const listDeploysRoute = readRoute({
  method: "get",
  path: "/apps/{app}/deploys",
  summary: "The app's deploys, newest first",
  request: {
    params: appParam,
    query: z.object({
      cursor: z.string().min(1).optional().openapi({ description: "`next` from the previous page" }),
      outcome: DeployOutcomeSchema.optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: { 200: json(DeployPageSchema, "A page of deploys"), ...notAnApp },
});

export const getDeployRoute = readRoute({
  method: "get",
  path: "/apps/{app}/deploys/{id}",
  summary: "One deploy: steps with timings, image, plan summary, error",
  request: {
    params: appParam.extend({
      id: z
        .string()
        .min(1)
        .openapi({ param: { name: "id", in: "path" } }),
    }),
  },
  responses: {
    200: json(DeployDetailSchema, "The deploy"),
    404: json(ErrorSchema, "No such app or deploy"),
  },
});

export const appEventsRoute = readRoute({
  method: "get",
  path: "/apps/{app}/events",
  summary: "The app's raw event log, for tools that tail it",
  request: { params: appParam, query: afterQuery },
  responses: { 200: json(EventListSchema, "Events after `after`"), ...notAnApp },
});

export const projectEventsRoute = readRoute({
  method: "get",
  path: "/events",
  summary: "The root project's raw event log: pushes received, config commits, evaluations",
  request: { query: afterQuery },
  responses: { 200: json(EventListSchema, "Events after `after`") },
});

export const configRoute = readRoute({
  method: "get",
  path: "/config",
  summary: "The config repo, its commit, the last evaluation and its errors",
  responses: { 200: json(ConfigStatusSchema, "Config status") },
});

export const imagesRoute = readRoute({
  method: "get",
  path: "/images",
  summary: "Image automation: each policy, the tags seen, the tag chosen and why, the last scan, errors",
  responses: { 200: json(ImagesSchema, "Image automation status") },
});

export const syncAppRoute = adminRoute({
  method: "post",
  path: "/apps/{app}/sync",
  summary: "Admin: redeploy the app now, even when nothing changed",
  request: { params: appParam },
  responses: { 202: json(AcceptedSchema, "Sync scheduled"), ...notAnApp },
});

export const syncAllRoute = adminRoute({
  method: "post",
  path: "/sync",
  summary: "Admin: re-read config now; ?force=true redeploys every app",
  request: { query: z.object({ force: z.enum(["true", "false"]).default("false") }) },
  responses: { 202: json(AcceptedSchema, "Sync scheduled") },
});

export const rollbackRoute = adminRoute({
  method: "post",
  path: "/apps/{app}/rollback",
  summary: "Admin: redeploy an earlier release exactly (image and config) and pin the app to it",
  request: {
    params: appParam,
    body: { content: { "application/json": { schema: RollbackBodySchema } }, required: true },
  },
  responses: {
    202: json(RollbackAcceptedSchema, "Rollback queued; the app is pinned"),
    404: json(ErrorSchema, "Not an app in config, or no such deploy/release"),
    409: json(ErrorSchema, "That release cannot be put back (it failed, or its config is no longer kept)"),
    413: json(ErrorSchema, "The body is larger than 1 MiB"),
  },
});

export const unpinRoute = adminRoute({
  method: "post",
  path: "/apps/{app}/unpin",
  summary: "Admin: end a rollback's pin; the app follows git again",
  request: { params: appParam },
  responses: { 200: json(UnpinResultSchema, "Whether a pin was ended"), ...notAnApp },
});
