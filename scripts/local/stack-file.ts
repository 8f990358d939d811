/** `.tower-local/stack.json`: what `npm run demo:push` (and people) need to reach the running stack. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface StackFile {
  pid: number;
  wranglerPid: number | null;
  api: string;
  flyApi: string;
  flyMode: "simulator" | "real";
  gitServer: string;
  configRepo: { name: string; url: string; branch: string };
  siteRepo: { name: string; url: string; branch: string };
  prefix: string;
  /** Dev values made for this run only; the file is gitignored. */
  webhookSecret: string;
  adminToken: string;
  apiToken: string;
}

export const stackPath = (dir: string) => join(dir, "stack.json");

export function writeStack(dir: string, stack: StackFile): void {
  writeFileSync(stackPath(dir), `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
}

export function removeStack(dir: string): void {
  rmSync(stackPath(dir), { force: true });
}

export function readStack(dir: string): StackFile {
  return JSON.parse(readFileSync(stackPath(dir), "utf8")) as StackFile;
}
