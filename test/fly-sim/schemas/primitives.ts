/** Small shared pieces of the Fly request schemas. */
import { z } from "zod";

/** Go duration strings as Fly parses them: "10s", "1m30s", "500ms". A bare number is refused. */
export const duration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, {
  message: 'expected a duration string with a unit, such as "10s" or "1m30s"',
});

export const int = z.number().int();
export const stringMap = z.record(z.string(), z.string());
export const strings = z.array(z.string());

export const stopSignal = z.enum(["SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM"]);
export const signal = z.enum([
  "SIGABRT",
  "SIGALRM",
  "SIGFPE",
  "SIGHUP",
  "SIGILL",
  "SIGINT",
  "SIGKILL",
  "SIGPIPE",
  "SIGQUIT",
  "SIGSEGV",
  "SIGTERM",
  "SIGTRAP",
  "SIGUSR1",
  "SIGUSR2",
]);
