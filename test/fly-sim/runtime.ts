/**
 * Machine lifecycles that take time: created → starting → started, stopping → stopped,
 * replacing → starting → started, destroying → destroyed, one-off programs that exit. Every
 * transition bumps the machine's generation, so timers of an older transition do nothing.
 */
import { ulid } from "./ids";
import type { MachineProgram } from "./programs";
import type { MachineState, SimMachine, World } from "./world";

export interface Timings {
  /** Time each step of a transition takes (ms). */
  transitionMs: number;
  /**
   * Time after `started` until the first check results appear (ms): before it a machine's answer
   * has no `checks` at all, as on Fly (flyctl internal/machine/leasable_machine.go
   * WaitForHealthchecksToPass counts the configured checks because the list starts out empty).
   */
  checksReportMs: number;
  /** Time after `started` until checks pass (ms), in place of the configured grace period; critical until then. */
  checksPassMs: number;
  /** How long a crash-looping image (image-behaviour.ts) runs before each exit (ms). */
  crashMs: number;
  /** How long a one-off (auto_destroy) machine runs by default before exiting 0 (ms). */
  oneOffRunMs: number;
  /** How long a new app answers 404 after its creation (ms): see handlers/apps.ts. */
  appReadyMs: number;
  /** Length of one API "second" (ms): wait timeouts and lease ttls; lower it to speed tests. */
  secondMs: number;
}

export const defaultTimings: Timings = {
  transitionMs: 50,
  checksReportMs: 50,
  checksPassMs: 150,
  crashMs: 100,
  oneOffRunMs: 100,
  appReadyMs: 1000,
  secondMs: 1000,
};

const SETTLED = new Set<MachineState>(["started", "stopped", "suspended", "failed", "destroyed"]);

interface Waiter {
  states: Set<string>;
  version?: string;
  done(ok: boolean): void;
}

type Step = [MachineState, ((m: SimMachine) => void)?];

export class MachineRuntime {
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly running = new Map<string, AbortController>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly world: World,
    readonly timings: Timings,
    private readonly programFor: (m: SimMachine) => MachineProgram | undefined,
  ) {}

  event(m: SimMachine, type: string, status: string, source: "user" | "flyd", request?: Record<string, unknown>) {
    m.events.unshift({ id: ulid(), type, status, source, timestamp: Date.now(), ...(request ? { request } : {}) });
    if (m.events.length > 50) m.events.length = 50;
  }

  launch(m: SimMachine) {
    this.abortProgram(m);
    this.run(m, [["starting"], ["started", (mm) => this.onStarted(mm)]]);
  }

  stop(m: SimMachine) {
    this.abortProgram(m);
    this.set(m, "stopping");
    this.run(m, [["stopped", (mm) => this.event(mm, "stop", "stopped", "user")]]);
  }

  /** Created with skip_launch: settles as stopped without running. */
  park(m: SimMachine) {
    this.run(m, [["stopped"]]);
  }

  /** After an update: the machine restarts on the new version, or stays stopped with skip_launch. */
  replace(m: SimMachine, launch: boolean) {
    this.abortProgram(m);
    // Fly lists an `update` event (status `replacing`) when a machine's config is replaced, as
    // `fly machine status` shows it; exit events before it belong to the previous version.
    this.event(m, "update", "replacing", "user");
    this.set(m, "replacing");
    if (launch) this.run(m, [["starting"], ["started", (mm) => this.onStarted(mm)]]);
    else this.run(m, [["stopped"]]);
  }

  destroy(m: SimMachine, source: "user" | "flyd") {
    this.abortProgram(m);
    this.set(m, "destroying");
    this.run(m, [["destroyed", (mm) => this.onDestroyed(mm, source)]]);
  }

  /** Resolves true when the machine reaches one of `states` (at `version`, if given), false on timeout. */
  waitFor(m: SimMachine, states: string[], version: string | undefined, timeoutMs: number): Promise<boolean> {
    const waiter: Omit<Waiter, "done"> = { states: new Set(states), ...(version ? { version } : {}) };
    if (this.satisfies(m, waiter)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const list = this.waiters.get(m.id) ?? [];
      const timer = this.after(timeoutMs, () => finish(false));
      const entry: Waiter = { ...waiter, done: (ok) => finish(ok) };
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.timers.delete(timer);
        const at = list.indexOf(entry);
        if (at >= 0) list.splice(at, 1);
        resolve(ok);
      };
      list.push(entry);
      this.waiters.set(m.id, list);
    });
  }

  /** Stops every timer and program and fails every waiter: for reset and close. */
  dispose() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.running.values()) c.abort(new Error("simulator reset"));
    this.running.clear();
    for (const list of this.waiters.values()) for (const w of [...list]) w.done(false);
    this.waiters.clear();
  }

  set(m: SimMachine, state: MachineState) {
    m.state = state;
    m.updatedAt = new Date().toISOString();
    for (const w of [...(this.waiters.get(m.id) ?? [])]) if (this.satisfies(m, w)) w.done(true);
  }

  private satisfies(m: SimMachine, w: Omit<Waiter, "done">): boolean {
    if (w.version !== undefined && w.version !== m.instanceId) return false;
    return w.states.has(m.state) || (w.states.has("settled") && SETTLED.has(m.state));
  }

  private run(m: SimMachine, steps: Step[]) {
    const generation = ++m.generation;
    let delay = 0;
    for (const [state, then] of steps) {
      delay += this.timings.transitionMs;
      this.after(delay, () => {
        if (m.generation !== generation) return;
        this.set(m, state);
        then?.(m);
      });
    }
  }

  private onStarted(m: SimMachine) {
    m.startedAt = Date.now();
    this.event(m, "start", "started", "flyd");
    const program = this.programFor(m);
    if (!program) return;
    const controller = new AbortController();
    this.running.set(m.id, controller);
    const generation = m.generation;
    program.run(m, controller.signal).then(
      (result) => {
        if (controller.signal.aborted || m.generation !== generation) return;
        this.running.delete(m.id);
        this.exit(m, result.exitCode);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        this.running.delete(m.id);
        this.event(m, "exit", "failed", "flyd", { error: String(err) });
        this.exit(m, 1);
      },
    );
  }

  /** Whether the restart policy brings the machine back after this exit (auto_destroy never restarts). */
  private restarts(m: SimMachine, exitCode: number): boolean {
    const policy = m.config.restart?.policy ?? (m.config.auto_destroy ? "no" : "always");
    if (m.config.auto_destroy || policy === "no") return false;
    if (policy === "on-failure" && exitCode === 0) return false;
    return m.restartCount < (m.config.restart?.max_retries ?? 10);
  }

  private exit(m: SimMachine, exitCode: number) {
    m.exitCode = exitCode;
    const restarting = this.restarts(m, exitCode);
    this.event(m, "exit", "stopped", "flyd", exitRequest(exitCode, restarting, m.restartCount));
    m.generation++;
    delete m.startedAt; // check results start over with the next run
    if (restarting) {
      m.restartCount++;
      this.set(m, "starting");
      this.launch(m);
      return;
    }
    this.set(m, "stopped");
    if (m.config.auto_destroy) this.destroy(m, "flyd");
  }

  private onDestroyed(m: SimMachine, source: "user" | "flyd") {
    this.event(m, "destroy", "destroyed", source);
    if (m.lease) m.pastNonces.set(m.lease.nonce, "destroyed");
    delete m.lease;
    for (const v of this.world.volumes.values()) if (v.attachedMachineId === m.id) v.attachedMachineId = null;
  }

  private abortProgram(m: SimMachine) {
    this.running.get(m.id)?.abort(new Error("machine stopped"));
    this.running.delete(m.id);
  }

  private after(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }
}

/**
 * An exit event's `request` as Fly sends it: fly-go's MachineExitEvent and MachineRequest
 * (machine_types.go) mark every field but `exited_at` `omitempty`, so a clean exit has no
 * `exit_code`, a first run no `restart_count`, and `restarting: false` is left out.
 */
function exitRequest(exitCode: number, restarting: boolean, restartCount: number): Record<string, unknown> {
  const exitEvent = {
    exited_at: new Date().toISOString(),
    guest_signal: -1,
    signal: -1,
    ...(exitCode !== 0 ? { exit_code: exitCode, guest_exit_code: exitCode } : {}),
    ...(restarting ? { restarting: true } : {}),
  };
  return { exit_event: exitEvent, ...(restartCount > 0 ? { restart_count: restartCount } : {}) };
}
