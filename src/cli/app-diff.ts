/** What `tower diff` found for one app: the plan, and each machine change with its changed fields. */
import type { FieldChange, Plan } from "../fly";

export interface MachineDiff {
  op: "create" | "update" | "replace" | "destroy";
  name: string;
  machineId?: string;
  group: string;
  region: string;
  /** For update and replace: what changes, live → wanted. */
  fields?: FieldChange[];
}

export interface AppDiff {
  name: string;
  exists: boolean;
  changed: boolean;
  image: { ref: string; from: "config" | "live" | "build" };
  secretsCompared: "values" | "names";
  plan: Plan;
  /** Keyed by plan step id: the machine changes of that step with their field diffs. */
  machines: Record<string, MachineDiff[]>;
  notes: string[];
}
