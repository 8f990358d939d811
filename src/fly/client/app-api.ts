import { FlyApiError } from "../../errors";
import { APP_NAME_TAKEN } from "./app-ready";
import type { FlyHttp } from "./fly-http";
import type {
  AssignIpRequest,
  CreateVolumeRequest,
  FlyApp,
  FlyCertificate,
  FlyIpAssignment,
  FlySecret,
  FlyVolume,
} from "./fly-types";

const e = encodeURIComponent;

/** Apps, volumes, secrets, IP assignments and certificates. */
export function appApi(http: FlyHttp) {
  const a = (app: string, rest = "") => `/apps/${e(app)}${rest}`;
  const pace = (app: string, action: string) => ({ key: `${app}:${action}`, rate: "action" as const });

  const api = {
    /**
     * The app, or null when Fly does not know it (a new app too, for a moment). Names are global: a
     * name held by an organisation this token cannot see answers 403 (fly-go flaps/flaps_apps.go
     * AppNameAvailable), which throws an `APP_NAME_TAKEN` error: no retry makes it ours.
     */
    async getApp(app: string): Promise<FlyApp | null> {
      const r = await http.request<FlyApp>({
        method: "GET",
        path: a(app),
        pace: pace(app, "get"),
        accept: [404, 403],
      });
      if (r.status === 403)
        throw new FlyApiError(
          APP_NAME_TAKEN,
          `the app name "${app}" is held by another Fly organisation (Fly answered 403 to GET /apps/${app}): choose another name`,
          { status: 403, app, requestId: r.requestId },
        );
      return r.status === 404 ? null : r.body;
    },
    /**
     * `POST /apps?wait=true`, as fly-go's CreateApp sends it (flaps/flaps_apps.go). A retry first
     * checks whether the app now exists. "taken" when Fly refuses the name as taken (422): by an
     * attempt of ours whose answer was lost, or by anyone else — the caller looks it up to tell.
     */
    async createApp(body: { name: string; org_slug: string; network?: string }): Promise<"created" | "taken"> {
      // Creating apps is limited per organisation, not per app.
      const req = {
        method: "POST" as const,
        path: "/apps",
        query: { wait: true },
        body,
        pace: { key: `org:${body.org_slug}:create_app`, rate: "action" as const },
      };
      try {
        await http.create<FlyApp | null>(req, () => api.getApp(body.name));
        return "created";
      } catch (err) {
        if (err instanceof FlyApiError && err.data.status === 422 && /taken/i.test(String(err.data.error ?? "")))
          return "taken";
        throw err;
      }
    },
    async deleteApp(app: string) {
      const r = await http.request({ method: "DELETE", path: a(app), pace: pace(app, "delete_app"), accept: [404] });
      return r.status !== 404;
    },
    async listVolumes(app: string) {
      const r = await http.request<FlyVolume[]>({
        method: "GET",
        path: a(app, "/volumes"),
        pace: pace(app, "list_volumes"),
      });
      return r.body ?? [];
    },
    /**
     * Retried only after looking for a volume of that name and region that was not there before;
     * `listed` is the app's volumes when the caller has just read them (saves a list call).
     */
    async createVolume(app: string, body: CreateVolumeRequest, listed?: FlyVolume[]): Promise<FlyVolume> {
      const before = new Set((listed ?? (await api.listVolumes(app))).map((v) => v.id));
      const req = { method: "POST" as const, path: a(app, "/volumes"), body, pace: pace(app, "create_volume") };
      return http.create<FlyVolume>(req, async () => {
        const now = await api.listVolumes(app);
        return now.find((v) => !before.has(v.id) && v.name === body.name && v.region === body.region) ?? null;
      });
    },
    async extendVolume(app: string, id: string, sizeGb: number) {
      const r = await http.request<{ needs_restart?: boolean; volume?: FlyVolume }>({
        method: "PUT",
        path: a(app, `/volumes/${e(id)}/extend`),
        body: { size_gb: sizeGb },
        pace: pace(app, "extend_volume"),
      });
      return r.body ?? {};
    },
    async deleteVolume(app: string, id: string) {
      const r = await http.request({
        method: "DELETE",
        path: a(app, `/volumes/${e(id)}`),
        pace: pace(app, "delete_volume"),
        accept: [404],
      });
      return r.status !== 404;
    },
    /** Names and digests only: Fly never returns values unless asked, and Tower never asks. */
    async listSecrets(app: string) {
      const r = await http.request<{ secrets?: FlySecret[] }>({
        method: "GET",
        path: a(app, "/secrets"),
        pace: pace(app, "list_secrets"),
      });
      return (r.body?.secrets ?? []).map(({ name, digest, created_at, updated_at }) => ({
        name,
        digest,
        created_at,
        updated_at,
      }));
    },
    /** Setting the same values again is harmless, so this is retried like a read. */
    async setSecrets(app: string, values: Record<string, string>) {
      const r = await http.request<{ version?: number; Version?: number }>({
        method: "POST",
        path: a(app, "/secrets"),
        body: { values },
        pace: pace(app, "set_secrets"),
      });
      return { version: r.body?.version ?? r.body?.Version ?? null };
    },
    /** Deleting twice is harmless (404: already gone, version null), so this is retried like a read. */
    async deleteSecret(app: string, name: string) {
      const r = await http.request<{ version?: number; Version?: number }>({
        method: "DELETE",
        path: a(app, `/secrets/${e(name)}`),
        pace: pace(app, "delete_secret"),
        accept: [404],
      });
      if (r.status === 404) return { version: null };
      return { version: r.body?.version ?? r.body?.Version ?? null };
    },
    /**
     * `POST /apps/{app}/deploy_token` (App_create_deploy_token): a token limited to this one app,
     * valid for `expiry`, a Go duration as flyctl sends it (internal/command/tokens/create.go:
     * `expiryDuration.String()`, e.g. "30m0s"). Minting twice only leaves a spare token to expire,
     * so this is retried like a read. The token is a secret: never logged, never in an error.
     */
    async createDeployToken(app: string, expiry: string): Promise<string> {
      const r = await http.request<{ token?: string }>({
        method: "POST",
        path: a(app, "/deploy_token"),
        body: { expiry },
        pace: pace(app, "deploy_token"),
      });
      if (!r.body?.token)
        throw new FlyApiError("fly_no_token", `Fly gave no deploy token for the app ${app}`, { app, status: r.status });
      return r.body.token;
    },
    async listIps(app: string) {
      const r = await http.request<{ ips?: FlyIpAssignment[] }>({
        method: "GET",
        path: a(app, "/ip_assignments"),
        pace: pace(app, "list_ips"),
      });
      return r.body?.ips ?? [];
    },
    /** Retried only after looking for an address that was not there before (`listed`, as for volumes). */
    async assignIp(app: string, body: AssignIpRequest, listed?: FlyIpAssignment[]): Promise<FlyIpAssignment> {
      const before = new Set((listed ?? (await api.listIps(app))).map((x) => x.ip));
      const req = { method: "POST" as const, path: a(app, "/ip_assignments"), body, pace: pace(app, "assign_ip") };
      return http.create<FlyIpAssignment>(
        req,
        async () => (await api.listIps(app)).find((x) => !before.has(x.ip)) ?? null,
      );
    },
    async releaseIp(app: string, ip: string) {
      await http.request({
        method: "DELETE",
        path: a(app, `/ip_assignments/${e(ip)}`),
        pace: pace(app, "release_ip"),
        accept: [404],
      });
    },
    async createAcmeCertificate(app: string, hostname: string) {
      const r = await http.request<FlyCertificate>({
        method: "POST",
        path: a(app, "/certificates/acme"),
        body: { hostname },
        pace: pace(app, "certificates"),
      });
      return r.body;
    },
    async getCertificate(app: string, hostname: string): Promise<FlyCertificate | null> {
      const r = await http.request<FlyCertificate>({
        method: "GET",
        path: a(app, `/certificates/${e(hostname)}`),
        pace: pace(app, "certificates"),
        accept: [404],
      });
      return r.status === 404 ? null : r.body;
    },
  };
  return api;
}
