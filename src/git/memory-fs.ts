/**
 * A lightning-fs file system held in memory, for one fetch. Workerd has no IndexedDB, so the
 * store is lightning-fs's MemoryBackend; lightning-fs also takes a lock through
 * `navigator.locks` (Web Locks), which workerd lacks: a small in-isolate stand-in serves, since
 * every file system here has its own name and nobody else contends for it.
 */
import LightningFS from "@isomorphic-git/lightning-fs";

type LockCallback = (lock: { name: string } | null) => unknown;
interface LockOptions {
  ifAvailable?: boolean;
  steal?: boolean;
}

/** Web Locks, exclusive mode only: what lightning-fs's Mutex2 uses. */
class IsolateLocks {
  readonly #held = new Map<string, Promise<void>>();

  async request(name: string, optionsOrCallback: LockOptions | LockCallback, maybeCallback?: LockCallback) {
    const callback = typeof optionsOrCallback === "function" ? optionsOrCallback : maybeCallback;
    const options = typeof optionsOrCallback === "function" ? {} : optionsOrCallback;
    if (!callback) throw new TypeError("navigator.locks.request needs a callback");
    if (this.#held.has(name) && options.ifAvailable) return callback(null);
    while (!options.steal && this.#held.has(name)) await this.#held.get(name);
    const result = Promise.resolve().then(() => callback({ name }));
    const released: Promise<void> = result.then(
      () => this.#release(name, released),
      () => this.#release(name, released),
    );
    this.#held.set(name, released);
    return result;
  }

  #release(name: string, which: Promise<void>) {
    if (this.#held.get(name) === which) this.#held.delete(name);
  }
}

function installLocks() {
  const nav = (globalThis as { navigator?: { locks?: unknown } }).navigator;
  if (nav?.locks) return;
  const locks = new IsolateLocks();
  if (nav) Object.defineProperty(nav, "locks", { value: locks, configurable: true });
  else Object.defineProperty(globalThis, "navigator", { value: { locks }, configurable: true });
}

// MemoryBackend is exported at run time but missing from the package's type declarations.
const { MemoryBackend } = LightningFS as unknown as { MemoryBackend: new () => LightningFS.IDB };
let counter = 0;

export function memoryFs(): LightningFS {
  installLocks();
  return new LightningFS(`tower-git-${++counter}`, { db: new MemoryBackend(), defer: true });
}
