/**
 * One bounded pass over the outbox, from a DO's alarm: send the head of each lane that is due,
 * record how it went, hand back what could not be delivered (for the event log) and when to come
 * back. A host that is down or refusing only ever delays its own lane, never a deploy.
 */
import { type SendPorts, send } from "../../notify/send";
import type { FeedbackOutbox } from "./outbox-table";
import { afterSend, type Undelivered } from "./retry";

/** Sends per pass: far below the 1,000 subrequests of an invocation, with room for the deploy's. */
const MAX_SENDS = 25;

export interface DrainResult {
  undelivered: Undelivered[];
  /** When the next row is due (ms since epoch), or null when the outbox is empty. */
  nextAt: number | null;
  sent: number;
}

export async function drainOutbox(
  outbox: FeedbackOutbox,
  ports: Omit<SendPorts, "recall">,
  options: { firstRetryMs?: number; onSend?: (line: string) => void } = {},
): Promise<DrainResult> {
  const undelivered: Undelivered[] = [];
  let sent = 0;
  for (let budget = MAX_SENDS; budget > 0; ) {
    const due = outbox.heads().filter((row) => row.dueAt <= ports.now());
    if (due.length === 0) break;
    for (const row of due.slice(0, budget)) {
      budget -= 1;
      const outcome = await send(row.delivery, { ...ports, recall: (key) => outbox.recall(key) }, row.attempts);
      const after = afterSend(row, outcome, ports.now(), options.firstRetryMs);
      outbox.record(row.key, after);
      if (after.state === "sent") sent += 1;
      if (after.report) undelivered.push(after.report);
      options.onSend?.(`${row.key} ${after.state}${after.error ? `: ${after.error}` : ""}`);
    }
  }
  return { undelivered, nextAt: outbox.nextDue(), sent };
}
