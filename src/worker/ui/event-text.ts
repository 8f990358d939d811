/**
 * One line per event for the live tail and the event log: the few fields that say what happened.
 * Events carry no secret values; the text is escaped when rendered (JSX or textContent).
 */
import type { StoredEvent } from "../../durable/contract";

export interface TailLine {
  seq: number;
  at: string;
  source: string;
  type: string;
  text: string;
}

export function tailLine(source: string, event: StoredEvent): TailLine {
  return { seq: event.seq, at: event.at, source, type: event.type, text: eventText(event.data) };
}

export function eventText(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  if (text("name") && text("outcome")) parts.push(`${text("name")} → ${text("outcome")}`);
  else if (text("outcome")) parts.push(text("outcome")!);
  if (typeof data.release === "number") parts.push(`release ${data.release}`);
  const push = data.push as Record<string, unknown> | undefined;
  if (push && typeof push === "object")
    parts.push(`${String(push.repo)} ${String(push.ref)} ${short(String(push.after), 10)}`);
  if (data.config === true) parts.push("config repo");
  if (Array.isArray(data.apps))
    parts.push(data.apps.length > 0 ? `apps: ${data.apps.map(appName).join(", ")}` : "no app");
  for (const key of ["app", "ref", "commit", "after", "sourceCommit"]) {
    const value = text(key);
    if (value) parts.push(`${key} ${/^[0-9a-f]{40,64}$/.test(value) ? value.slice(0, 10) : short(value, 40)}`);
  }
  for (const key of ["image", "cause", "reason", "message", "by", "step"])
    if (text(key)) parts.push(short(text(key)!, 200));
  if (typeof data.apps === "number") parts.push(`${data.apps} apps`);
  return parts.join("  ");
}

/** An entry of an `apps` list: a name, or an object that has one. */
function appName(entry: unknown): string {
  if (typeof entry === "string") return entry;
  const name = (entry as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : "?";
}

function short(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
