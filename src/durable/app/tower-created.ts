/**
 * Whether Tower created a Fly app, judged by its machines: Fly apps carry no metadata of their own,
 * so an app counts as Tower's only when it has machines and every one is marked `tower_managed`.
 * Anything else (no machines, one machine made by hand or by flyctl) is left alone.
 */
import { MACHINE_METADATA } from "../../base/machine-metadata";
import { type FlyMachine, isGone } from "../../fly";

export function towerCreated(machines: FlyMachine[]): { ours: boolean; reason: string } {
  const live = machines.filter((machine) => !isGone(machine));
  if (live.length === 0) return { ours: false, reason: "the app has no machines that show Tower made it" };
  const foreign = live.filter((machine) => machine.config?.metadata?.[MACHINE_METADATA.managed] !== "true");
  if (foreign.length > 0) return { ours: false, reason: `machine ${foreign[0]!.id} was not made by Tower: left alone` };
  return { ours: true, reason: `all ${live.length} machines were made by Tower` };
}
