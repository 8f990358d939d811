/**
 * Follows the running Tower's event logs through its own API (`GET /api/events`, and
 * `GET /api/apps/:app/events` for each app in `GET /api/apps`) and prints each new event once.
 */
import type { AppSummary, StoredEvent } from "../../src/durable/contract";
import { eventLine } from "./event-lines";

export interface Tail {
  /** The apps as last listed. */
  apps(): AppSummary[];
  stop(): void;
}

export function tailEvents(api: string, print: (line: string) => void, everyMs = 400): Tail {
  const after = new Map<string, number>();
  let apps: AppSummary[] = [];
  let stopped = false;

  const follow = async (source: string, path: string) => {
    const res = await fetch(`${api}${path}?after=${after.get(source) ?? 0}&limit=200`);
    if (!res.ok) return;
    const page = (await res.json()) as { events: StoredEvent[]; next: number };
    for (const event of page.events) print(eventLine(source, event));
    after.set(source, page.next);
  };

  const loop = async () => {
    while (!stopped) {
      try {
        await follow("config", "/api/events");
        const res = await fetch(`${api}/api/apps`);
        if (res.ok) apps = ((await res.json()) as { apps: AppSummary[] }).apps;
        await Promise.all(apps.map((app) => follow(app.name, `/api/apps/${app.name}/events`)));
      } catch {
        // The Worker is restarting or stopping: try again on the next round.
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  void loop();
  return {
    apps: () => apps,
    stop() {
      stopped = true;
    },
  };
}
