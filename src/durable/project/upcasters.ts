/** Upgrades older ProjectDO events when read: one step per type and version, composed in order. */
import { upcasterFrom } from "../event-store";

type Data = Record<string, unknown>;

/** v1 spelled the config hash `hash`; v2 calls it `configHash`, as everywhere else. */
function renameHash({ hash, ...rest }: Data): Data {
  return { ...rest, configHash: hash };
}

export const projectUpcaster = upcasterFrom({
  "config.evaluated": { 1: (data) => ({ ...data, apps: (data.apps as Data[]).map(renameHash) }) },
  "app.desired": { 1: renameHash },
});
