import { inject } from "vitest";
import { GitError } from "../../../src/errors";

export const gitUrl = () => inject("gitUrl");

/** Requests the test server has served for a repo (smart HTTP only). */
export async function requestsServed(name: string): Promise<number> {
  const stats = (await (await fetch(`${gitUrl()}/_admin/stats`)).json()) as Record<string, number>;
  return stats[name] ?? 0;
}

/** The GitError a promise rejects with (fails the test when it resolves or throws anything else). */
export async function gitFailure(promise: Promise<unknown>): Promise<GitError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GitError)) throw new Error(`expected a GitError, got ${String(err)}`);
  return err;
}
