import { appApi } from "./app-api";
import { createFlyHttp, type FlyClientOptions } from "./fly-http";
import { leaseApi } from "./lease-api";
import { machinesApi } from "./machines-api";

/** The typed Fly Machines API client: retries, pacing and `FlyApiError`s built in. */
export function createFlyClient(options: FlyClientOptions) {
  const http = createFlyHttp(options);
  return { ...appApi(http), ...machinesApi(http), ...leaseApi(http) };
}

export type FlyClient = ReturnType<typeof createFlyClient>;
