/** Matches METHOD + path against the route table (templates as in Fly's API description). */
import type { Handler } from "./context";

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path template under /v1, e.g. `/apps/{app_name}/machines/{machine_id}`. */
  template: string;
  /** Fly's operationId: the name faults and rate limits use. */
  operation: string;
  /** Query parameters the operation declares; any other is refused. */
  query?: string[];
  /** Whether the operation takes a JSON body; one sent where none is described is refused. */
  body?: boolean;
  handler: Handler;
}

export interface CompiledRoute extends Route {
  re: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: CompiledRoute;
  params: Record<string, string>;
}

export function compileRoutes(routes: Route[]): CompiledRoute[] {
  return routes.map((r) => {
    const names: string[] = [];
    const source = r.template.replace(/\{([^}]+)\}/g, (_, n: string) => {
      names.push(n);
      return "([^/]+)";
    });
    return { ...r, names, re: new RegExp(`^${source}$`) };
  });
}

/** Returns the match, "method" when the path exists under another method, or undefined. */
export function matchRoute(routes: CompiledRoute[], method: string, path: string): RouteMatch | "method" | undefined {
  let pathKnown = false;
  for (const route of routes) {
    const m = route.re.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
    return { route, params };
  }
  return pathKnown ? "method" : undefined;
}
