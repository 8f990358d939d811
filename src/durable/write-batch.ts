/**
 * Group commit for a Durable Object's intake: items that arrive while a write is pending join
 * it, so one storage commit serves many callers instead of one each. A DO's writes made in one
 * turn (no await between them) commit together, and the runtime holds each caller's answer until
 * the commit is durable (the output gate), so an answer still means "stored". Each caller gets
 * its own item's result or error: one bad item fails only its caller.
 */
type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class WriteBatch<T, R> {
  private queue: Waiting<T, R>[] = [];

  /** `write` stores the items in order, synchronously, then may await what follows (an alarm). */
  constructor(private readonly write: (items: T[]) => Promise<Settled<R>[]>) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // The first item of a batch schedules its write; those arriving before it runs join it.
      if (this.queue.length === 1) setTimeout(() => void this.flush(), 0);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    let settled: Settled<R>[];
    try {
      settled = await this.write(batch.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const result = settled[i]!;
      if (result.ok) waiting.resolve(result.value);
      else waiting.reject(result.error);
    });
  }
}

/** Runs `work`, keeping its value or its error. */
export function settle<R>(work: () => R): Settled<R> {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    return { ok: false, error };
  }
}
