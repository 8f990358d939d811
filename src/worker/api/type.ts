import type { OpenAPIHono } from "@hono/zod-openapi";
import type { TowerEnv } from "../../env";

export type Api = OpenAPIHono<{ Bindings: TowerEnv }>;
