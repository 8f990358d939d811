/**
 * One readable line per Tower event, for the terminal: time, app (or "config"), event type, and
 * the few fields that say what happened. Events never carry secret values, so nothing is masked.
 */
import type { StoredEvent } from "../../src/durable/contract";

const MAX = 140;
/** Fits `tower-demo-hello`, and the longer names of a real-Fly run, in one column. */
const WIDTH = 24;

export function eventLine(source: string, event: StoredEvent): string {
  const time = event.at.slice(11, 19);
  return `${time}  ${source.padEnd(WIDTH)} ${event.type.padEnd(18)} ${summary(event.data)}`.slice(0, 240);
}

function summary(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  if (text("name") && text("outcome")) parts.push(`${text("name")} → ${text("outcome")}`);
  else if (text("outcome")) parts.push(text("outcome")!);
  if (typeof data.release === "number") parts.push(`release ${data.release}`);
  for (const key of ["ref", "commit", "after", "configHash", "sourceCommit"]) {
    const value = text(key);
    if (value) parts.push(`${key} ${/^[0-9a-f]{40,64}$/.test(value) ? value.slice(0, 10) : short(value, 24)}`);
  }
  for (const key of ["image", "cause", "reason", "message", "by"]) if (text(key)) parts.push(short(text(key)!, MAX));
  if (typeof data.apps === "number") parts.push(`${data.apps} apps`);
  return parts.join("  ");
}

function short(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
