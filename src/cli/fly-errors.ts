/** A Fly API failure as the CLI says it: which setting to look at, not a request dump. */

import { FlyApiError, TowerError } from "../errors";
import { apiBase } from "../fly";

export function explainFlyError(error: unknown, env: NodeJS.ProcessEnv): unknown {
  if (!(error instanceof FlyApiError)) return error;
  const base = apiBase(env.FLY_API_BASE);
  const where = `${error.data.method} ${base}${error.data.path}`;
  switch (error.data.status) {
    case 0:
      return new TowerError(
        "fly_unreachable",
        `cannot reach the Fly Machines API at ${base} (FLY_API_BASE)`,
        error.data,
      );
    case 401:
    case 403:
      return new TowerError(
        "fly_unauthorized",
        `Fly refused FLY_API_TOKEN (${error.data.status} on ${where}): is it a token for this org?`,
        error.data,
      );
    default:
      return error;
  }
}
