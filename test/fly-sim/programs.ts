/**
 * What a started machine "runs". Servers run until stopped; one-off machines (auto_destroy, such as
 * release commands and builders) run a program that ends with an exit code. Programs are pluggable
 * per machine (e.g. by image), so later work can teach the simulator to run builds.
 */
import type { SimMachine } from "./world";

export interface ProgramResult {
  exitCode: number;
}

export interface MachineProgram {
  name: string;
  matches(machine: SimMachine): boolean;
  /** Runs until done; `signal` aborts when the machine is stopped or destroyed first. */
  run(machine: SimMachine, signal: AbortSignal): Promise<ProgramResult>;
}

/** A test's rule: one-off machines whose command (or image/app) matches exit with this code. */
export interface ExitRule {
  /** Substring of the machine's command line (init.entrypoint + init.cmd + init.exec, space-joined). */
  command?: string;
  image?: string;
  app?: string;
  exitCode: number;
  /** How long the program runs before exiting (ms); the default one-off run time otherwise. */
  runMs?: number;
}

export function commandLine(m: SimMachine): string {
  const init = m.config.init ?? {};
  return [...(init.entrypoint ?? []), ...(init.cmd ?? []), ...(init.exec ?? [])].join(" ");
}

function ruleMatches(rule: ExitRule, m: SimMachine): boolean {
  return (
    (rule.command === undefined || commandLine(m).includes(rule.command)) &&
    (rule.image === undefined || m.config.image.includes(rule.image)) &&
    (rule.app === undefined || rule.app === m.app)
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}

export function exitRuleProgram(rule: ExitRule, defaultRunMs: number): MachineProgram {
  return {
    name: `exit-rule:${rule.command ?? rule.image ?? rule.app ?? "*"}`,
    matches: (m) => ruleMatches(rule, m),
    run: async (_m, signal) => {
      await sleep(rule.runMs ?? defaultRunMs, signal);
      return { exitCode: rule.exitCode };
    },
  };
}

/** Default for auto_destroy machines nobody taught the simulator about: run briefly, exit 0. */
export function oneOffProgram(runMs: number): MachineProgram {
  return {
    name: "one-off",
    matches: (m) => m.config.auto_destroy === true,
    run: async (_m, signal) => {
      await sleep(runMs, signal);
      return { exitCode: 0 };
    },
  };
}
