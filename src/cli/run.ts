// Entry point used by bin/tower.mjs (through tsx).
import { main } from "./main";

// A reader that goes away (`tower plan | head`) is not an error of ours: stop quietly, as Unix
// tools do, instead of dying on EPIPE with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2));
// Exit once stdout is flushed: a git fetch can leave timers or sockets that would keep Node alive.
process.stdout.write("", () => process.exit(code));
