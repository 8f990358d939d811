/**
 * A status or outcome as a badge. Known values get their colour; any other value (a status a newer
 * Tower adds) still shows, in a neutral badge, so the dashboard needs no change for it.
 */
const KNOWN = new Set([
  "synced",
  "deploying",
  "pending",
  "degraded",
  "failed",
  "running",
  "succeeded",
  "superseded",
  "done",
  "wait",
  "retry",
  "stalled",
]);

export function badgeClass(value: string): string {
  return KNOWN.has(value) ? `badge badge-${value}` : "badge badge-other";
}

export function Badge(props: { value: string; of?: string }) {
  return (
    <span class={badgeClass(props.value)} data-status-of={props.of}>
      {props.value}
    </span>
  );
}
