/**
 * `npm run sim:fly -- --port 4280 [--record FILE] [--rate-scale N | --no-rate-limit] [--token T]`:
 * the simulator on its own (for `npm start` and manual runs). Stops on Ctrl-C.
 */
import { parseArgs } from "node:util";
import { startFlySim } from "./sim";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4280" },
    host: { type: "string", default: "127.0.0.1" },
    record: { type: "string" },
    "rate-scale": { type: "string", default: "1" },
    "no-rate-limit": { type: "boolean", default: false },
    token: { type: "string" },
  },
});

const sim = await startFlySim({
  port: Number(values.port),
  host: values.host,
  ...(values.record ? { record: values.record } : {}),
  ...(values.token ? { token: values.token } : {}),
  rateLimit: values["no-rate-limit"] ? false : { scale: Number(values["rate-scale"]) },
});
console.log(`fly-sim: Machines API on ${sim.url}/v1 (control: ${sim.url}/_sim/state)`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
