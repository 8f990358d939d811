/** A bare fetch helper for talking to the simulator in its own tests (no Tower client involved). */
import type { FlySim } from "../../fly-sim";

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
  body: any;
  headers: Headers;
}

export function api(sim: FlySim, token = "test-token") {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await fetch(`${sim.url}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

export const baseConfig = {
  image: "registry.fly.io/demo:deployment-1",
  guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
  metadata: { fly_platform_version: "v2", fly_process_group: "app" },
};
