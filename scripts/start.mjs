#!/usr/bin/env node
// `npm start`: runs Tower locally with `wrangler dev` (miniflare, no Cloudflare login, no telemetry).
// Stops every process it started on Ctrl-C.
import { spawn } from "node:child_process";

const port = process.env.PORT ?? "8787";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const child = spawn("npx", ["wrangler", "dev", "--port", port, "--ip", "127.0.0.1", "--var", "PUBLIC_API:true"], {
  env,
  stdio: "inherit",
  detached: true,
});
console.log(`tower: starting wrangler dev on http://127.0.0.1:${port} (GET /healthz)`);
const stop = () => {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));
