/** `notify:` targets → outbox entries for one notification; shared by both DOs' feedback plans. */
import type { NotifyTarget } from "../../config/schema/notify-schema";
import type { Delivery } from "../../notify/delivery";
import type { Notification } from "../../notify/notification";
import type { OutboxEntry } from "./outbox-table";

/** One entry per target that wants the event; a target's lane is its URL secret. */
export function notifyEntries(targets: NotifyTarget[], notification: Notification, scope: string): OutboxEntry[] {
  return targets.flatMap((target, index) => {
    if (!target.events.includes(notification.event)) return [];
    const lane = `notify:${target.url_env}`;
    const key = `fb:${scope}:${notification.event}:${index}:${target.url_env}`;
    const delivery: Delivery =
      target.type === "slack"
        ? { kind: "slack", urlEnv: target.url_env, notification }
        : {
            kind: "webhook",
            urlEnv: target.url_env,
            ...(target.secret_env ? { secretEnv: target.secret_env } : {}),
            notification,
          };
    return [{ key, lane, delivery }];
  });
}
