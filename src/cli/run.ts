// Entry point used by bin/tower.mjs (through tsx).
import { main } from "./main";

process.exitCode = await main(process.argv.slice(2));
