/** Upgrades older ProjectDO events when read. All are at v1 so far: add steps here on a bump. */
import { upcasterFrom } from "../event-store";

export const projectUpcaster = upcasterFrom({});
