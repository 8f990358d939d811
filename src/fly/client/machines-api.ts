import { FlyApiError } from "../../errors";
import type { FlyHttp } from "./fly-http";
import type {
  CreateMachineRequest,
  FlyMachine,
  FlyMachineEvent,
  FlyWaitResponse,
  FlyWaitState,
  UpdateMachineRequest,
} from "./fly-types";
import { isGone } from "./is-gone";
import { e, machinePath as m, machinePace, nonceHeader } from "./machine-request";

/** Machines: create, update, start/stop, destroy, waits, events, cordon and metadata. */
export function machinesApi(http: FlyHttp) {
  const appPace = (app: string, action: string) => ({ key: `${app}:${action}`, rate: "action" as const });

  const api = {
    async listMachines(app: string, query: { region?: string; state?: string; include_deleted?: boolean } = {}) {
      const r = await http.request<FlyMachine[]>({
        method: "GET",
        path: `/apps/${e(app)}/machines`,
        query,
        pace: appPace(app, "list_machines"),
      });
      return r.body ?? [];
    },
    async getMachine(app: string, id: string): Promise<FlyMachine | null> {
      const r = await http.request<FlyMachine>({
        method: "GET",
        path: m(app, id),
        pace: machinePace(app, id, "get", true),
        accept: [404],
      });
      return r.status === 404 ? null : r.body;
    },
    /**
     * Retried only after looking for a machine of the same name that the failed attempt made; a
     * machine without a name cannot be looked for, so its create is sent once. `oneOff` is for
     * names used once (a release command, a build): their machine may already have run and been
     * destroyed by then, and still counts, so the look includes destroyed machines.
     */
    async createMachine(app: string, body: CreateMachineRequest, opts: { oneOff?: boolean } = {}): Promise<FlyMachine> {
      const req = { method: "POST" as const, path: `/apps/${e(app)}/machines`, body, pace: appPace(app, "create") };
      if (!body.name) return (await http.request<FlyMachine>({ ...req, retry: false })).body;
      const query = opts.oneOff ? { include_deleted: true } : {};
      return http.create<FlyMachine>(req, async () => {
        const list = await api.listMachines(app, query);
        return list.find((x) => x.name === body.name && (opts.oneOff || !isGone(x))) ?? null;
      });
    },
    async updateMachine(app: string, id: string, body: UpdateMachineRequest, nonce?: string) {
      const r = await http.request<FlyMachine>({
        method: "POST",
        path: m(app, id),
        body,
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "update"),
      });
      return r.body;
    },
    async startMachine(app: string, id: string, nonce?: string) {
      await http.request({
        method: "POST",
        path: m(app, id, "/start"),
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "start"),
      });
    },
    async stopMachine(app: string, id: string, body: { signal?: string; timeout?: string } = {}, nonce?: string) {
      await http.request({
        method: "POST",
        path: m(app, id, "/stop"),
        body,
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "stop"),
      });
    },
    /** Destroys the machine; `false` when it was already gone. */
    async deleteMachine(app: string, id: string, opts: { force?: boolean; nonce?: string } = {}) {
      const r = await http.request({
        method: "DELETE",
        path: m(app, id),
        query: { force: opts.force ? true : undefined },
        headers: nonceHeader(opts.nonce),
        pace: machinePace(app, id, "delete"),
        accept: [404],
      });
      return r.status !== 404;
    },
    /**
     * Blocks on Fly's side until the state is reached; `{ok: false}` when Fly's wait timed out
     * (408). Waiting for `destroyed` on a machine Fly no longer knows (404) means it is destroyed,
     * as flyctl reads it (internal/machine/leasable_machine.go WaitForState).
     */
    async waitMachine(
      app: string,
      id: string,
      q: { state: FlyWaitState | FlyWaitState[]; timeout?: number; version?: string; from_event_id?: string },
    ): Promise<FlyWaitResponse> {
      const r = await http.request<FlyWaitResponse>({
        method: "GET",
        path: m(app, id, "/wait"),
        query: {
          state: Array.isArray(q.state) ? q.state.join(",") : q.state,
          timeout: q.timeout === undefined ? undefined : Math.max(1, Math.min(60, Math.round(q.timeout))),
          version: q.version,
          from_event_id: q.from_event_id,
        },
        pace: machinePace(app, id, "wait", true),
        accept: [408, 404],
      });
      if (r.status === 404) {
        if ([q.state].flat().includes("destroyed")) return { ok: true, state: "destroyed" };
        throw new FlyApiError("fly_not_found", `Fly API GET ${m(app, id, "/wait")} answered 404: machine not found`, {
          status: 404,
          method: "GET",
          path: m(app, id, "/wait"),
          requestId: r.requestId,
        });
      }
      return r.status === 408 ? { ok: false } : { ok: true, ...r.body };
    },
    async machineEvents(app: string, id: string, limit = 20) {
      const r = await http.request<FlyMachineEvent[]>({
        method: "GET",
        path: m(app, id, "/events"),
        query: { limit },
        pace: machinePace(app, id, "events", true),
      });
      return r.body ?? [];
    },
    async cordon(app: string, id: string, nonce?: string) {
      await http.request({
        method: "POST",
        path: m(app, id, "/cordon"),
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "cordon"),
      });
    },
    async uncordon(app: string, id: string, nonce?: string) {
      await http.request({
        method: "POST",
        path: m(app, id, "/uncordon"),
        headers: nonceHeader(nonce),
        pace: machinePace(app, id, "cordon"),
      });
    },
    async getMetadata(app: string, id: string) {
      const r = await http.request<Record<string, string>>({
        method: "GET",
        path: m(app, id, "/metadata"),
        pace: machinePace(app, id, "metadata", true),
      });
      return r.body ?? {};
    },
    async setMetadataKey(app: string, id: string, key: string, value: string) {
      await http.request({
        method: "POST",
        path: m(app, id, `/metadata/${e(key)}`),
        body: { value },
        pace: machinePace(app, id, "metadata"),
      });
    },
    async deleteMetadataKey(app: string, id: string, key: string) {
      await http.request({
        method: "DELETE",
        path: m(app, id, `/metadata/${e(key)}`),
        pace: machinePace(app, id, "metadata"),
        accept: [404],
      });
    },
  };
  return api;
}
