/** Shared checks for push payloads: commit hashes, ref names, the repo key. */
import { z } from "zod";
import { normaliseRepoUrl } from "../../git/repo-url";
import { RequestError } from "../errors";
import type { PushFields } from "./delivery";

export const ZERO_COMMIT = "0000000000000000000000000000000000000000";

/** A full SHA-1 or SHA-256 commit id, lowercase. */
export const commitHash = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, "expected a full commit hash");
/** Longer ref names are refused: git keeps refs as file names, and hosts cap them near this. */
export const MAX_REF_LENGTH = 255;
export const refName = z
  .string()
  .max(MAX_REF_LENGTH, `a ref name is at most ${MAX_REF_LENGTH} characters`)
  .regex(/^refs\/\S+$/, "expected a full ref name like refs/heads/main");

export function isZeroCommit(hash: string): boolean {
  return /^0+$/.test(hash);
}

/** Parses `payload` with `schema`, or throws `invalid_payload` naming the field that is wrong. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join(".") : "(body)";
  throw new RequestError("invalid_payload", `${what}: ${field}: ${issue.message}`, { field });
}

/** The push as Tower records it; the repo URL from the payload becomes `host/owner/name`. */
export function pushFields(
  what: string,
  field: string,
  fields: { repoUrl: string; ref: string; before: string; after: string; deleted?: boolean },
): PushFields {
  let repo: string;
  try {
    repo = normaliseRepoUrl(fields.repoUrl);
  } catch {
    throw new RequestError("invalid_payload", `${what}: ${field}: not a git repository URL`, { field });
  }
  if (fields.ref.length > MAX_REF_LENGTH)
    throw new RequestError("invalid_payload", `${what}: ref: a ref name is at most ${MAX_REF_LENGTH} characters`, {
      field: "ref",
    });
  const deleted = fields.deleted === true || isZeroCommit(fields.after);
  return { repo, ref: fields.ref, before: fields.before, after: fields.after, deleted };
}
