import type { DesiredApp, DesiredIp } from "../../config/desired-app";
import type { FlyIpAssignment } from "../client/fly-types";
import type { PlanStep } from "./plan-types";

/** The kind of address an assignment is: Fly's list has no `type`, so it is read off the address. */
export function ipType(a: FlyIpAssignment): DesiredIp["type"] {
  if (a.ip.toLowerCase().startsWith("fdaa:")) return "private_v6";
  if (a.ip.includes(":")) return "v6";
  return a.shared ? "shared_v4" : "v4";
}

/** Assign each listed address that is missing; release unlisted ones only with `auto_prune_ips`. */
export function planIps(desired: DesiredApp, live: FlyIpAssignment[]): PlanStep[] {
  const unmatched = [...live];
  const steps: PlanStep[] = [];
  desired.ips.forEach((want, i) => {
    const at = unmatched.findIndex(
      (a) => ipType(a) === want.type && (!want.region || !a.region || a.region === want.region),
    );
    if (at >= 0) unmatched.splice(at, 1);
    else {
      const step: PlanStep = { id: `ip-assign:${i + 1}:${want.type}`, kind: "assign-ip", type: want.type };
      if (want.region) step.region = want.region;
      steps.push(step);
    }
  });
  if (desired.autoPruneIps)
    for (const a of unmatched) steps.push({ id: `ip-release:${a.ip}`, kind: "release-ip", ip: a.ip });
  return steps;
}
