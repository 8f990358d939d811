import { createApp } from "./app";
import type { TowerEnv } from "./env";

export { AppDO } from "../durable/app-do";
export { ProjectDO } from "../durable/project-do";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, _ctx) {
    // Periodic sync is wired in by the event-sourced core.
  },
} satisfies ExportedHandler<TowerEnv>;
