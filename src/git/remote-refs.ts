/**
 * The refs a remote advertises, as plain data (it goes into Durable Object storage and events),
 * and how to find the commit a watched ref points at.
 */
export interface RemoteRefs {
  /** Full ref name (`refs/heads/main`, `refs/tags/v1`, `HEAD`) → the object id it points at. */
  refs: Record<string, string>;
  /** Annotated tags: full ref name → the commit the tag object points at. */
  peeled: Record<string, string>;
  /** What HEAD points at (`refs/heads/main`) when the server says. */
  head?: string;
  /** The protocol the answer came by: 2 (one POST) or 1 (one GET of the full advertisement). */
  protocol: 1 | 2;
}

/** The commit a ref (full or short: `main`, `v1`, `HEAD`) points at, tags peeled. */
export function resolveRemoteRef(remote: RemoteRefs, ref: string): string | undefined {
  for (const name of candidates(ref)) {
    const oid = remote.peeled[name] ?? remote.refs[name];
    if (oid) return oid;
  }
  return undefined;
}

/** Git's own order for short names (see git-rev-parse "SPECIFYING REVISIONS"). */
export function candidates(ref: string): string[] {
  if (ref === "HEAD" || ref.startsWith("refs/")) return [ref];
  return [`refs/${ref}`, `refs/tags/${ref}`, `refs/heads/${ref}`, `refs/remotes/${ref}`];
}
