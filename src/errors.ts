/**
 * One base error with a string `code` and structured `data`; one subclass per boundary. The
 * Worker's error handler maps codes to HTTP statuses, the CLI maps them to exit codes. Messages
 * and data never carry secret values.
 */
export class TowerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration: `data.file`, `data.line`, `data.col`, `data.path` name the place. */
export class ConfigError extends TowerError {}
/** Talking to a git remote failed: `data.repo` names it (never with credentials). */
export class GitError extends TowerError {}
/** The Fly Machines API answered with an error or could not be reached. */
export class FlyApiError extends TowerError {}
/** Durable Object storage: append conflicts, corrupt rows. */
export class StorageError extends TowerError {}
/** A container registry refused or failed: `data.image` names the image (never credentials). */
export class RegistryError extends TowerError {}
