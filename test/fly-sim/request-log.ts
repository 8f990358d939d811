/**
 * Every /v1 request, kept in memory and (with a file) appended as JSON lines
 * `{"method","path","body"}`: the format `check-fly-requests.mjs` reads.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface LoggedRequest {
  method: string;
  /** Path with /v1 and the query string. */
  path: string;
  body: unknown;
  operation: string | null;
  app?: string;
  status?: number;
  at: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  /** `truncate` empties the file first; otherwise lines are appended to what is there. */
  constructor(
    private readonly file?: string,
    truncate = false,
  ) {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    if (truncate) writeFileSync(file, "");
  }

  add(entry: LoggedRequest) {
    this.entries.push(entry);
    if (this.file)
      appendFileSync(
        this.file,
        JSON.stringify({ method: entry.method, path: entry.path, body: entry.body ?? null }) + "\n",
      );
  }

  all(): LoggedRequest[] {
    return [...this.entries];
  }

  clear() {
    this.entries = [];
  }
}
