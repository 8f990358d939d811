/** What a request handler gets and returns. */
import type { IncomingHttpHeaders } from "node:http";
import type { DeployTokens } from "./deploy-tokens";
import type { MachineProgram } from "./programs";
import type { MachineRuntime } from "./runtime";
import type { SimCounters, World } from "./world";

export interface FailingChecksRule {
  app?: string;
  image?: string;
  machine?: string;
}

/** The simulator's moving parts, shared by every handler. */

export interface SimCore {
  world: World;
  runtime: MachineRuntime;
  /** Counters per app (the totals are in `world.counters`). */
  countersByApp: Map<string, SimCounters>;
  bump(counter: keyof SimCounters, app: string): void;
  programs: MachineProgram[];
  failingChecks: FailingChecksRule[];
  regions: ReadonlySet<string>;
  /** App deploy tokens handed out, for the registry's login check. */
  deployTokens: DeployTokens;
}

export interface Ctx {
  core: SimCore;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Who is calling, derived from the token: lease owners are told apart by it. */
  owner: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export const json = (status: number, body?: unknown): Reply => ({ status, ...(body === undefined ? {} : { body }) });
