/** What every git host's webhook boils down to, before and after its signature is checked. */
import type { PullRequestReceived, PushReceived } from "../../durable/contract";

export type ProviderName = PushReceived["provider"];

/** How a delivery proves it came from the host: an HMAC of the body, or GitLab's shared token. */
export type Credential =
  | { kind: "hmac"; header: string; value: string | null }
  | { kind: "token"; header: string; value: string | null };

/** A delivery as told apart by its headers alone (nothing here is trusted until verified). */
export interface Delivery {
  provider: ProviderName;
  /** The event as the host names it: `push`, `Tag Push Hook`, `repo:push`… */
  event: string;
  /** The host's delivery id header, when it sent one. */
  deliveryId: string | null;
  credential: Credential;
}

/** One ref update, host-neutral; the route adds provider, delivery id and the time. */
export type PushFields = Pick<PushReceived, "repo" | "ref" | "before" | "after" | "deleted">;

/** A pull request event, host-neutral; the route adds provider, delivery id and the time. */
export type PullFields = Pick<PullRequestReceived, "repo" | "number" | "action" | "fork" | "headHint">;

export type Interpretation =
  | { kind: "ping" }
  | { kind: "pull-request"; pull: PullFields }
  | { kind: "ignored"; reason: string }
  | { kind: "push"; pushes: PushFields[] };

export interface Provider {
  name: ProviderName;
  /** The delivery when these headers are this host's, else null. */
  identify(headers: Headers): Delivery | null;
  /** What a verified, parsed payload asks of Tower. Throws RequestError `invalid_payload`. */
  interpret(event: string, payload: unknown): Interpretation;
  /** Where the delivery id comes from when the host sent no id header (GitLab only). */
  fallbackDeliveryId?(headers: Headers, body: Uint8Array): Promise<string>;
}
