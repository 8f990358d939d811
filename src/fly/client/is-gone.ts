/**
 * A machine or volume that is no more, or on its way out (Fly's states `destroying`, `destroyed`,
 * and for volumes `pending_destroy`): never counted, paired, reused or waited on as live.
 */
export function isGone(resource: { state?: string } | null | undefined): boolean {
  return !resource || GONE.has(resource.state ?? "");
}

const GONE = new Set(["destroying", "destroyed", "pending_destroy"]);
