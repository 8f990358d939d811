/**
 * Fault injection, set per test and scoped by app so tests sharing one simulator do not disturb
 * each other: random 5xx and 429 rates, latency, hangs, and named calls failing N times — before
 * the call takes effect, or after it (the change is made but the answer is lost).
 */
import type { Random } from "./random";

export interface FaultRule {
  /** Fly operationId, e.g. "Machines_update". */
  operation?: string;
  method?: string;
  /** Regular expression matched against the path (with /v1 and query). */
  path?: string;
  /** Only requests for this app. */
  app?: string;
  /** Answer with this status (default 500); 429 answers carry Retry-After. */
  status?: number;
  /**
   * Seconds sent as a 429's `Retry-After` (default 1). Fly's rate limiter answers 429 with it
   * (../shared/reference/FLY-FACTS.md: "Honour 429 and `Retry-After`").
   */
  retryAfterS?: number;
  /** Fail this many times, then stop matching (default: every time). */
  times?: number;
  /** Chance of failing when matched (default 1). */
  probability?: number;
  /** Delay before answering (ms). */
  latencyMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Apply the call, then answer with the error (a lost response). */
  after?: boolean;
  message?: string;
}

export interface FaultSettings {
  /** Share of calls answered 5xx (0..1), before they take effect. */
  errorRate?: number;
  /** Share of calls answered 429 (0..1). */
  rate429?: number;
  /** Delay added to every call (ms). */
  latencyMs?: number;
  rules?: FaultRule[];
}

export interface FaultDecision {
  latencyMs: number;
  hang: boolean;
  failBefore?: InjectedFailure;
  failAfter?: InjectedFailure;
}

export interface InjectedFailure {
  status: number;
  message: string;
  retryAfterS?: number;
}

export interface FaultRequest {
  operation: string;
  method: string;
  path: string;
  app?: string;
}

const GLOBAL = "*";

export class Faults {
  /** Settings per app name; "*" applies to every app. */
  private readonly byScope = new Map<string, FaultSettings & { rules: (FaultRule & { used: number })[] }>();

  constructor(private readonly random: Random) {}

  /** Replaces the settings for one app (or all apps when `app` is undefined). */
  set(settings: FaultSettings, app?: string) {
    this.byScope.set(app ?? GLOBAL, { ...settings, rules: (settings.rules ?? []).map((r) => ({ ...r, used: 0 })) });
  }

  addRule(rule: FaultRule) {
    const scope = rule.app ?? GLOBAL;
    const current = this.byScope.get(scope) ?? { rules: [] };
    current.rules.push({ ...rule, used: 0 });
    this.byScope.set(scope, current);
  }

  clear(app?: string) {
    if (app === undefined) this.byScope.clear();
    else this.byScope.delete(app);
  }

  snapshot(): Record<string, FaultSettings> {
    return Object.fromEntries(this.byScope);
  }

  decide(req: FaultRequest): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, hang: false };
    const scopes = [this.byScope.get(GLOBAL), req.app === undefined ? undefined : this.byScope.get(req.app)];
    for (const s of scopes) {
      if (!s) continue;
      decision.latencyMs += s.latencyMs ?? 0;
      if (!decision.failBefore && s.errorRate && this.random() < s.errorRate)
        decision.failBefore = { status: this.random() < 0.5 ? 500 : 503, message: "injected server error" };
      if (!decision.failBefore && s.rate429 && this.random() < s.rate429)
        decision.failBefore = { status: 429, message: "rate limit exceeded (injected)" };
      for (const rule of s.rules) {
        if (!matches(rule, req)) continue;
        if (rule.times !== undefined && rule.used >= rule.times) continue;
        if (rule.probability !== undefined && this.random() >= rule.probability) continue;
        rule.used++;
        decision.latencyMs += rule.latencyMs ?? 0;
        if (rule.hang) decision.hang = true;
        if (rule.status !== undefined || (!rule.latencyMs && !rule.hang)) {
          const fail: InjectedFailure = {
            status: rule.status ?? 500,
            message: rule.message ?? `injected failure of ${req.operation}`,
            ...(rule.retryAfterS === undefined ? {} : { retryAfterS: rule.retryAfterS }),
          };
          if (rule.after) decision.failAfter ??= fail;
          else decision.failBefore ??= fail;
        }
      }
    }
    return decision;
  }
}

function matches(rule: FaultRule, req: FaultRequest): boolean {
  return (
    (rule.operation === undefined || rule.operation === req.operation) &&
    (rule.method === undefined || rule.method.toUpperCase() === req.method) &&
    (rule.path === undefined || new RegExp(rule.path).test(req.path)) &&
    (rule.app === undefined || rule.app === req.app)
  );
}
