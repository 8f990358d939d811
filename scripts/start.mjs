#!/usr/bin/env node
// `npm start`: Tower on this machine — the Fly simulator, a git server with the example repos and
// `wrangler dev` — with no account and no network. The work is in scripts/local (TypeScript, run
// through tsx). Ctrl-C stops every process it started.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { startStack } = await import("./local/start-stack.ts");
try {
  await startStack(root);
} catch (error) {
  console.error(`tower: ${error instanceof Error ? error.message : String(error)}`);
  // Stops what did start, through the same path as Ctrl-C.
  process.exitCode = 1;
  process.kill(process.pid, "SIGTERM");
}
