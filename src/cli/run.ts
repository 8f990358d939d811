// Entry point used by bin/tower.mjs (through tsx).
import { main } from "./main";

const code = await main(process.argv.slice(2));
// Exit once stdout is flushed: a git fetch can leave timers or sockets that would keep Node alive.
process.stdout.write("", () => process.exit(code));
