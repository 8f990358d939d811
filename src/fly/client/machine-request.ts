/** The parts every per-machine request shares: its path, its pacing bucket, its lease header. */
export const e = encodeURIComponent;

export const machinePath = (app: string, id: string, rest = "") => `/apps/${e(app)}/machines/${e(id)}${rest}`;

/** Fly limits actions per machine; reads have their own, higher rate. */
export const machinePace = (app: string, id: string, action: string, read = false) => ({
  key: `${app}/${id}:${action}`,
  rate: read ? ("machineRead" as const) : ("action" as const),
});

export const nonceHeader = (nonce?: string): Record<string, string> =>
  nonce ? { "fly-machine-lease-nonce": nonce } : {};
