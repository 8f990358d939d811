/**
 * What tests may do to a ProjectDO that no caller in production can: append a command as a pass
 * cut short would have left it, or make the next deliveries to AppDOs fail. Refused unless the
 * Worker runs with `TEST_HOOKS = "true"` (set only by vitest.config.ts).
 */
import type { PushReceived } from "../contract";
import type { ProjectCommand } from "./decide";
import type { ProjectPorts } from "./ports";
import type { ProjectCore } from "./project-core";

export type TestHook =
  /** Appends as `core.apply` would, without scheduling anything (a crash right after the append). */
  | { apply: ProjectCommand }
  /** The next `count` notices to AppDOs throw, as if the AppDO were unreachable. */
  | { refuseDeliveries: number };

export function runTestHook(core: ProjectCore, ports: ProjectPorts, hook: TestHook): void {
  if ("apply" in hook) {
    core.apply(hook.apply);
    return;
  }
  let refusals = hook.refuseDeliveries;
  const desire = ports.desire.bind(ports);
  ports.desire = async (notice) => {
    if (refusals-- > 0) throw new Error("AppDO unreachable (test hook)");
    return desire(notice);
  };
}

/**
 * Benches only: `pushes` pushes to an unwatched repo, each received and routed (two events), a
 * second apart from `from` on, through the real decider. Answers the log's version.
 */
export function seedPushes(core: ProjectCore, pushes: number, from: number): number {
  const config = { repo: "bench.invalid/acme/config", ref: "refs/heads/main" };
  const start = core.state.version;
  for (let i = 1; i <= pushes; i++) {
    const at = new Date(from + (start + i) * 1_000).toISOString();
    const push: PushReceived = {
      provider: "github",
      deliveryId: `seed-${start + i}`,
      repo: "bench.invalid/acme/elsewhere",
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: "a".repeat(40),
      deleted: false,
      receivedAt: at,
    };
    core.apply({ type: "record-push", push, at });
    core.apply({ type: "route-push", push, config, refs: {}, at });
  }
  return core.state.version;
}
