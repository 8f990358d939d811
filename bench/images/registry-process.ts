// The registry stand-in in its own process, so the bench's CPU figures are Tower's side only.
// Prints its URL on the first line of stdout; stops when stdin closes.
import { startRegistryServer } from "../../test/support/registry-server";

const server = await startRegistryServer({ pageSize: 100 });
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
