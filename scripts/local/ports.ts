/** Refuses to start when a port the stack needs is taken, naming the port and how to move it. */
import { createServer } from "node:net";

export async function checkPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [setting, port] of Object.entries(ports)) {
    if (port === 0) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (!free)
      throw new Error(
        `port ${port} is in use (another \`npm start\`?): stop it, or pick another port with ${setting}=<port>`,
      );
  }
}

/** A port nobody listens on now (the OS picks it; a moment later someone else could take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
