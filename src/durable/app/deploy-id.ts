/** Sortable by time, unique enough per app: base36 milliseconds plus random hex. */
export function newDeployId(): string {
  return `d${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`;
}
