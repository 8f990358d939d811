#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>.ts with tsx. Each benchmark prints its figures and
// ends with one JSON line.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const name = process.argv[2];
const available = readdirSync(new URL("../bench", import.meta.url))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(new URL(`../bench/${name}.ts`, import.meta.url))) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(", ") || "none yet"})`);
  process.exit(2);
}
const r = spawnSync("npx", ["tsx", `bench/${name}.ts`, ...process.argv.slice(3)], { stdio: "inherit" });
process.exit(r.status ?? 1);
