/**
 * What tests may do to a ProjectDO that no caller in production can: append a command as a pass
 * cut short would have left it, or make the next deliveries to AppDOs fail. Refused unless the
 * Worker runs with `TEST_HOOKS = "true"` (set only by vitest.config.ts).
 */
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
