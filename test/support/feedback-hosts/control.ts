/** A fetch-only client for the recording hosts' `/_control` API, usable from workerd tests. */
import type { Fault, RecordedRequest } from "./server";

export function feedbackHosts(baseUrl: string) {
  return {
    /** Requests whose path contains `match`, oldest first. */
    async requests(match: string): Promise<RecordedRequest[]> {
      const res = await fetch(`${baseUrl}/_control/requests?match=${encodeURIComponent(match)}`);
      return (await res.json()) as RecordedRequest[];
    },
    async fault(fault: Fault): Promise<void> {
      await fetch(`${baseUrl}/_control/faults`, { method: "POST", body: JSON.stringify(fault) });
    },
  };
}
