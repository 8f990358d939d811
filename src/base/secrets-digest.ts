import { canonicalHash } from "./canonical";

/** A digest of names and values, sorted: what is stored and compared instead of the values. */
export function secretsDigest(values: Record<string, string>): string {
  return `sha256:${canonicalHash(values)}`;
}
