/**
 * Client-side pacing: one token bucket per key (an app action or a machine action), so Tower stays
 * under Fly's documented limits (about 1 request/s per action per app or machine, burst 3; Get
 * Machine 5/s, burst 10) instead of collecting 429s when it updates many machines.
 */
export interface PaceRate {
  perSecond: number;
  burst: number;
}

export interface PacerOptions {
  /** Rate for mutating and most reading actions. */
  action?: PaceRate;
  /** Rate for reading one machine (GET machine, wait, events). */
  machineRead?: PaceRate;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Pacer {
  take(key: string, rate: "action" | "machineRead"): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const rates = {
    action: options.action ?? { perSecond: 1, burst: 3 },
    machineRead: options.machineRead ?? { perSecond: 5, burst: 10 },
  };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const buckets = new Map<string, Bucket>();
  return {
    async take(key, kind) {
      const rate = rates[kind];
      const id = `${kind}:${key}`;
      // Reserve a token now (possibly going negative) so concurrent callers queue in order.
      const t = now();
      const b = buckets.get(id) ?? { tokens: rate.burst, at: t };
      b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
      b.at = t;
      b.tokens -= 1;
      buckets.set(id, b);
      if (b.tokens < 0) await sleep((-b.tokens / rate.perSecond) * 1000);
    },
  };
}

/** No pacing (tests that count requests, or a caller that paces elsewhere). */
export const noPacer: Pacer = { take: async () => {} };
