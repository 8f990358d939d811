/**
 * Resolved apps kept in state rows outlive the code that wrote them. Rows written before the
 * config hash was named `configHash` spell it `hash`; readers go through here so an app that was
 * stored then (a kept release, the ProjectDO's copy) still deploys with its hash.
 */
import type { ResolvedApp } from "../config/resolved-app";

type Stored = ResolvedApp | (Omit<ResolvedApp, "configHash"> & { hash: string });

export function fromStoredApp(app: Stored): ResolvedApp;
export function fromStoredApp(app: Stored | null): ResolvedApp | null;
export function fromStoredApp(app: Stored | null): ResolvedApp | null {
  if (app === null || "configHash" in app) return app;
  const { hash, ...rest } = app;
  return { ...rest, configHash: hash };
}
