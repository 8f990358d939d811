/**
 * Token buckets per action per app or machine, like Fly's: about 1 request/s with a burst of 3,
 * Get Machine 5/s with a burst of 10. `scale` multiplies rates and bursts (tests relax it).
 */
export interface RateLimitOptions {
  /** Multiplies every rate and burst; 1 is Fly's own limits. */
  scale: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const LIMITS: Record<string, { perSecond: number; burst: number }> = {
  Machines_show: { perSecond: 5, burst: 10 },
};
const DEFAULT_LIMIT = { perSecond: 1, burst: 3 };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(public options: RateLimitOptions | false) {}

  /** Takes a token; returns undefined when allowed, else the seconds to wait (for Retry-After). */
  take(operation: string, key: string, now = Date.now()): number | undefined {
    if (!this.options) return undefined;
    const base = LIMITS[operation] ?? DEFAULT_LIMIT;
    const rate = base.perSecond * this.options.scale;
    const burst = base.burst * this.options.scale;
    const id = `${operation} ${key}`;
    const b = this.buckets.get(id) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return (1 - b.tokens) / rate;
  }

  reset() {
    this.buckets.clear();
  }
}
