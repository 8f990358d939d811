import type { FlyHttp } from "./fly-http";
import type { FlyLease } from "./fly-types";
import { machinePace, machinePath, nonceHeader } from "./machine-request";

/** Machine leases: what keeps two deployers off one machine. */
export function leaseApi(http: FlyHttp) {
  const m = (app: string, id: string) => machinePath(app, id, "/lease");
  return {
    /**
     * Acquire (or, with `nonce`, refresh) a lease. Fly answers flat (201) or `{status, data}` (200).
     * Retried: if a lost answer granted it, the retry gets a 409 and the caller finds its own lease
     * by description (see holdLease).
     */
    async acquireLease(app: string, id: string, body: { ttl: number; description?: string }, nonce?: string) {
      const r = await http.request<FlyLease | { status?: string; data?: FlyLease }>({
        method: "POST",
        path: m(app, id),
        body,
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "lease"),
      });
      return unwrapLease(r.body);
    },
    async showLease(app: string, id: string): Promise<FlyLease | null> {
      const r = await http.request<FlyLease | { data?: FlyLease }>({
        method: "GET",
        path: m(app, id),
        pace: machinePace(app, id, "lease_show", true),
        accept: [404],
      });
      return r.status === 404 ? null : unwrapLease(r.body);
    },
    async releaseLease(app: string, id: string, nonce: string) {
      await http.request({
        method: "DELETE",
        path: m(app, id),
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "lease"),
        accept: [404, 409],
      });
    },
  };
}

function unwrapLease(body: unknown): FlyLease {
  const b = (body ?? {}) as { data?: FlyLease } & FlyLease;
  return b.data && typeof b.data === "object" ? b.data : b;
}
