/**
 * Logins for private images, per registry host, from the `REGISTRY_CREDENTIALS` secret:
 *
 *   {"ghcr.io": {"username": "bot", "password": "ghp_…"}, "registry.example.com": "user:token"}
 *
 * Like GitCredentials, the class keeps values out of JSON and string forms so logging it leaks
 * nothing. Fly's registry needs no entry: it takes the Fly token (see RegistryClient).
 */
import { RegistryError } from "../errors";

export interface RegistryLogin {
  username: string;
  password: string;
}

export class RegistryCredentials {
  readonly #byHost: Map<string, RegistryLogin>;

  constructor(byHost: Map<string, RegistryLogin> = new Map()) {
    this.#byHost = byHost;
  }

  login(host: string): RegistryLogin | undefined {
    return this.#byHost.get(host.toLowerCase());
  }

  hosts(): string[] {
    return [...this.#byHost.keys()];
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.hosts().map((h) => [h, "***"]));
  }

  toString(): string {
    return `RegistryCredentials(${this.hosts().join(", ")})`;
  }
}

export const noRegistryCredentials = new RegistryCredentials();

export function parseRegistryCredentials(json: string | undefined): RegistryCredentials {
  if (json === undefined || json.trim() === "") return noRegistryCredentials;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // The parser's message quotes the text, which is a secret.
    throw refused('not valid JSON (expected {"host": {"username": …, "password": …}})');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw refused("expected a JSON object");
  const byHost = new Map<string, RegistryLogin>();
  for (const [rawHost, entry] of Object.entries(value)) {
    const host = rawHost.trim().toLowerCase();
    let login: RegistryLogin | undefined;
    if (typeof entry === "string" && entry.includes(":")) {
      const i = entry.indexOf(":");
      login = { username: entry.slice(0, i), password: entry.slice(i + 1) };
    } else if (typeof entry === "object" && entry !== null) {
      const { username, password } = entry as { username?: unknown; password?: unknown };
      if (typeof username === "string" && typeof password === "string") login = { username, password };
    }
    if (!/^[a-z0-9.-]+(:\d+)?$/.test(host) || !login || login.username === "" || login.password === "") {
      throw refused(`entry "${rawHost.slice(0, 100)}" needs a host and "user:token" or {username, password}`);
    }
    byHost.set(host, login);
  }
  return new RegistryCredentials(byHost);
}

function refused(message: string): RegistryError {
  return new RegistryError("invalid_credentials", `REGISTRY_CREDENTIALS: ${message}`, {});
}
