/**
 * Proves a delivery came from the git host: an HMAC-SHA256 of the raw body (GitHub, Gitea,
 * Bitbucket) checked with WebCrypto (hmac.ts), or GitLab's shared token compared in constant
 * time; against WEBHOOK_SECRET and, while rotating, WEBHOOK_SECRET_PREVIOUS. Refusals name the
 * header, never its value.
 */
import { matchesAnySecret } from "../auth";
import { RequestError } from "../errors";
import type { Delivery } from "./delivery";
import { hmacMatchesAny } from "./hmac";
import type { ChosenSecrets } from "./webhook-secrets";

const HMAC_SHA256 = /^(?:sha256=)?([0-9a-fA-F]{64})$/;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Verifies `body` and returns it as text. The HMAC is of the bytes that arrived; fatal UTF-8
 * decoding refuses a body whose text would not be those bytes.
 */
export async function verifyDelivery(delivery: Delivery, body: Uint8Array, chosen: ChosenSecrets): Promise<string> {
  const { credential } = delivery;
  const { secrets, setting } = chosen;
  if (secrets.length === 0)
    throw new RequestError(
      "bad_signature",
      `no secret covers this ${delivery.provider} delivery: set WEBHOOK_SECRET or WEBHOOK_SECRETS`,
    );
  if (credential.value === null || credential.value === "") {
    throw new RequestError("missing_signature", `${delivery.provider} delivery without ${credential.header} header`);
  }
  const text = decode(body, credential.header);
  if (credential.kind === "token") {
    if (await matchesAnySecret(credential.value, secrets)) return text;
    throw badSignature(credential.header, `does not match ${setting}`);
  }
  const hex = HMAC_SHA256.exec(credential.value.trim())?.[1];
  if (hex === undefined) throw badSignature(credential.header, "is not sha256=<64 hex digits>");
  if (text === "") throw badSignature(credential.header, "signs an empty body");
  if (await hmacMatchesAny(secrets, body, hex)) return text;
  throw badSignature(credential.header, `does not match the body (${setting})`);
}

function decode(body: Uint8Array, header: string): string {
  try {
    return utf8.decode(body);
  } catch {
    throw badSignature(header, "cannot match: the body is not UTF-8 text");
  }
}

function badSignature(header: string, why = "does not match the body (WEBHOOK_SECRET)"): RequestError {
  return new RequestError("bad_signature", `${header} ${why}`);
}
