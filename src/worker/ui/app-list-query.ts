/** The apps page's filter and sort, from its query string (a GET form, so it works without JS). Pure. */
import type { AppSummary } from "../../durable/contract";

export const SORTS = ["name", "status", "recent"] as const;
export type Sort = (typeof SORTS)[number];

export interface AppListQuery {
  /** Part of the name, any case. */
  q: string;
  /** One status, or "" for all. */
  status: string;
  sort: Sort;
}

export function readAppListQuery(params: Record<string, string | undefined>): AppListQuery {
  const sort = SORTS.find((s) => s === params.sort) ?? "name";
  return { q: (params.q ?? "").trim().slice(0, 63), status: (params.status ?? "").slice(0, 32), sort };
}

/** Worst first when sorting by status, so what needs a look is on top. */
const STATUS_ORDER = ["failed", "degraded", "deploying", "pending", "synced"];
const rank = (status: string) => {
  const index = STATUS_ORDER.indexOf(status);
  return index === -1 ? STATUS_ORDER.length : index;
};

export function selectApps(apps: AppSummary[], query: AppListQuery): AppSummary[] {
  const needle = query.q.toLowerCase();
  const chosen = apps.filter(
    (app) =>
      (needle === "" || app.name.toLowerCase().includes(needle)) &&
      (query.status === "" || app.status === query.status),
  );
  const byName = (a: AppSummary, b: AppSummary) => a.name.localeCompare(b.name);
  const compare: Record<Sort, (a: AppSummary, b: AppSummary) => number> = {
    name: byName,
    status: (a, b) => rank(a.status) - rank(b.status) || byName(a, b),
    recent: (a, b) => (b.lastDeploy?.startedAt ?? "").localeCompare(a.lastDeploy?.startedAt ?? "") || byName(a, b),
  };
  return chosen.sort(compare[query.sort]);
}

/** Statuses to offer in the filter: the known ones, plus any the apps have that are not. */
export function statusChoices(apps: AppSummary[]): string[] {
  const seen = new Set<string>(STATUS_ORDER);
  for (const app of apps) seen.add(app.status);
  return [...seen];
}
