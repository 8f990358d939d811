/** How one send went: the outbox's retry rules (src/durable/feedback) read only this. */
export type SendOutcome =
  /** Done. `result` is what later deliveries may need (a GitHub Deployment's id). */
  | { kind: "sent"; result?: number }
  /** Nothing to do, and nothing wrong: e.g. a status for a Deployment that was never made. */
  | { kind: "skipped"; reason: string }
  /** Transient: try again, not before `afterMs` when the host said so (Retry-After, rate limits). */
  | { kind: "retry"; reason: string; afterMs?: number }
  /** The host will keep saying no until someone changes something (token, scopes, settings). */
  | { kind: "refused"; reason: string; status: number };
