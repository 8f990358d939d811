/**
 * Making an app and waiting until Fly answers for it. A new app answers 404 (or 401) for a moment
 * after its creation; fly-go's WaitForApp (flaps/flaps_apps.go) retries those, and flyctl calls it
 * after every create. A lost create answer shows up as a retried create refused with 422 "Name
 * has already been taken": the app is then looked up, and counts as Tower's when it is in Tower's
 * organisation. A name held elsewhere stops with an error naming the app (never retried).
 */
import { FlyApiError } from "../../errors";
import type { FlyApp } from "./fly-types";

/** A name held by an organisation this token cannot see (403). */
export const APP_NAME_TAKEN = "fly_app_name_taken";
/** The app exists in another organisation this token can see. */
export const APP_IN_OTHER_ORG = "fly_app_in_other_org";

/** Errors no retry can cure: the app's name is someone else's. A deploy stops on them. */
export function isForeignAppError(err: unknown): err is FlyApiError {
  return err instanceof FlyApiError && (err.code === APP_NAME_TAKEN || err.code === APP_IN_OTHER_ORG);
}

type AppClient = {
  getApp(app: string): Promise<FlyApp | null>;
  createApp(body: { name: string; org_slug: string }): Promise<"created" | "taken">;
};

export interface AppWait {
  /** Epoch ms after which the wait hands back (null: not usable yet). */
  until: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

/** Creates the app unless it exists; true once Fly answers for it, false when `until` came first. */
export async function ensureApp(client: AppClient, name: string, org: string, wait: AppWait): Promise<boolean> {
  const found = await client.getApp(name);
  if (found) return inOrg(found, name, org);
  await client.createApp({ name, org_slug: org });
  return (await waitForApp(client, name, org, wait)) !== null;
}

/**
 * Looks until the app answers (404 and 401 mean "not yet"), backing off from `pollMs` (100 ms) to
 * 500 ms as fly-go's Retry does (flaps/retry.go); null when `until` passed first.
 */
export async function waitForApp(client: AppClient, name: string, org: string, wait: AppWait): Promise<FlyApp | null> {
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let pollMs = wait.pollMs ?? 100;
  for (;;) {
    const app = await client.getApp(name).catch((err: unknown) => {
      if (err instanceof FlyApiError && err.data.status === 401) return null;
      throw err;
    });
    if (app) return inOrg(app, name, org) ? app : null;
    if (now() + pollMs > wait.until) return null;
    await sleep(pollMs);
    pollMs = Math.min(500, pollMs * 2);
  }
}

/** True when the app is in `org` (or Fly does not say); an app of another organisation is an error. */
export function inOrg(app: FlyApp, name: string, org: string): true {
  const slug = app.organization?.slug;
  if (slug && slug !== org)
    throw new FlyApiError(
      APP_IN_OTHER_ORG,
      `the app "${name}" exists in the Fly organisation "${slug}", not "${org}": Tower does not take it over`,
      { app: name, org: slug },
    );
  return true;
}
