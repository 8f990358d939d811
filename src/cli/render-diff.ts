/** `tower diff` / `tower plan` as text: per app, the plan's steps in the strategy's order. */

import { MACHINE_METADATA } from "../base/machine-metadata";
import type { PlanStep } from "../fly";
import type { AppDiff, MachineDiff } from "./app-diff";
import type { Style } from "./style";

const show = (v: unknown) => JSON.stringify(v);
const HASH_STAMP = `metadata.${MACHINE_METADATA.configHash}`;

export function renderDiff(diff: AppDiff, s: Style): string {
  const lines: string[] = [];
  const { plan } = diff;
  const head = diff.changed
    ? `${s.strong(diff.name)}: ${counts(diff)} (${plan.strategy})`
    : `${s.strong(diff.name)}: no changes`;
  lines.push(head);
  for (const note of diff.notes) lines.push(s.faint(`  note: ${note}`));
  plan.steps.forEach((step, i) => {
    lines.push(`  ${i + 1}. ${stepLine(step, s)}`);
    if (step.kind === "machines")
      for (const m of diff.machines[step.id] ?? []) lines.push(...machineLines(m, s).map((l) => `       ${l}`));
  });
  return `${lines.join("\n")}\n`;
}

function counts(diff: AppDiff): string {
  const n: Record<string, number> = {};
  for (const list of Object.values(diff.machines)) for (const m of list) n[m.op] = (n[m.op] ?? 0) + 1;
  const parts = Object.entries(n).map(([op, k]) => `${k} machine${k === 1 ? "" : "s"} to ${op}`);
  const other = diff.plan.steps.filter((st) => st.kind !== "machines" && st.kind !== "switch-traffic").length;
  if (other) parts.push(`${other} other step${other === 1 ? "" : "s"}`);
  return parts.join(", ");
}

function stepLine(step: PlanStep, s: Style): string {
  switch (step.kind) {
    case "create-app":
      return s.add(`+ create app in org ${step.org}`);
    case "set-secrets":
      return s.change(`~ set secrets ${step.names.join(", ")}`);
    case "unset-secrets":
      return s.remove(`- unset secrets ${step.names.join(", ")}`);
    case "create-volume":
      return s.add(`+ create volume ${step.name} in ${step.region} (${step.sizeGb} GB)`);
    case "extend-volume":
      return s.change(`~ extend volume ${step.name} ${step.volumeId} in ${step.region} to ${step.sizeGb} GB`);
    case "assign-ip":
      return s.add(`+ assign IP ${step.type}${step.region ? ` in ${step.region}` : ""}`);
    case "release-ip":
      return s.remove(`- release IP ${step.ip}`);
    case "release-command":
      return `run release command ${show(step.command)} in ${step.region}`;
    case "machines":
      return `machines${step.wait ? ", then wait until they are started and healthy" : ", without waiting"}:`;
    case "switch-traffic":
      return `switch traffic to ${step.green.join(", ") || "-"}, away from ${step.blue.join(", ") || "-"}`;
    default: {
      const never: never = step;
      return String(never);
    }
  }
}

function machineLines(m: MachineDiff, s: Style): string[] {
  const where = `(${m.group} in ${m.region}${m.machineId ? `, ${m.machineId}` : ""})`;
  switch (m.op) {
    case "create":
      return [s.add(`+ create machine ${m.name} ${where}`)];
    case "destroy":
      return [s.remove(`- destroy machine ${m.name} ${where}`)];
    case "update":
    case "replace": {
      const verb = m.op === "update" ? "update" : "replace (a mount changed)";
      const out = [s.change(`~ ${verb} machine ${m.name} ${where}`)];
      const fields = m.fields ?? [];
      if (fields.length === 0) out.push(s.faint("    (a field Tower set before is no longer in the config)"));
      for (const f of fields) {
        if (f.path === HASH_STAMP) {
          const [from, to] = [f.live, f.want].map((h) => String(h ?? "-").slice(0, 19));
          out.push(s.change(`~   ${f.path} ${from}… → ${to}… (the app's config changed outside this machine)`));
          continue;
        }
        if ("live" in f) out.push(s.remove(`-   ${f.path} = ${show(f.live)}`));
        if ("want" in f) out.push(s.add(`+   ${f.path} = ${show(f.want)}`));
      }
      return out;
    }
    default: {
      const never: never = m.op;
      return [String(never)];
    }
  }
}
