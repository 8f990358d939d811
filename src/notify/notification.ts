/**
 * The body of a generic webhook notification: schema `tower.notification/v1`, documented in
 * docs/feedback.md. Fields are only ever added; a change of meaning is a new schema version.
 */
import type { NotifyEventName } from "../config/schema/notify-schema";

export const NOTIFICATION_SCHEMA = "tower.notification/v1";

export interface Notification {
  schema: typeof NOTIFICATION_SCHEMA;
  /** Unique per notification: a receiver that sees an id twice may drop the repeat. */
  id: string;
  event: NotifyEventName;
  /** When the event happened (ISO 8601). */
  at: string;
  /** The Fly app; null for config events. */
  app: string | null;
  deploy: { id: string; release: number; cause: string; url: string | null } | null;
  commit: { repo: string; sha: string } | null;
  /** Why a deploy failed: the step and the reason (never with secret values). */
  failure: { step: string; reason: string } | null;
  /** config.invalid: every problem with its place. */
  problems: { file: string; line: number; col: number; message: string }[];
  /** One readable line, the same text chat targets show. */
  summary: string;
}
