import type { TowerEnv } from "../env";
import { createApp } from "./app";
import { scheduled } from "./scheduled";

export { AppDO } from "../durable/app-do";
export { ProjectDO } from "../durable/project-do";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<TowerEnv>;
