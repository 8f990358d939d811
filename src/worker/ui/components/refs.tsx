/** Commits, config hashes and images, shortened for a table; the full value on hover. */

/** Web URL of a commit on a known git host, from the repo's clone URL; null for others. */
export function commitUrl(repo: string, commit: string): string | null {
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.username || url.password) return null;
  const base = `${url.origin}${url.pathname.replace(/\.git$/, "").replace(/\/$/, "")}`;
  if (url.hostname === "github.com") return `${base}/commit/${commit}`;
  if (url.hostname === "gitlab.com") return `${base}/-/commit/${commit}`;
  if (url.hostname === "bitbucket.org") return `${base}/commits/${commit}`;
  if (url.hostname === "codeberg.org") return `${base}/commit/${commit}`;
  return null;
}

export function Commit(props: { sha: string | null; repo?: string }) {
  if (!props.sha) return <span class="muted">—</span>;
  const short = props.sha.slice(0, 10);
  const href = props.repo ? commitUrl(props.repo, props.sha) : null;
  return href ? (
    <a class="mono" href={href} title={props.sha} rel="noreferrer">
      {short}
    </a>
  ) : (
    <code title={props.sha}>{short}</code>
  );
}

/** `registry/name@sha256:abcdef…` → `name@sha256:abcdef123456`. */
export function shortImage(image: string): string {
  const name = image.split("/").at(-1) ?? image;
  const digest = /^(.*@sha256:)([0-9a-f]{12})[0-9a-f]*$/.exec(name);
  return digest ? `${digest[1]}${digest[2]}` : name;
}

export function Image(props: { image: string | null }) {
  if (!props.image) return <span class="muted">—</span>;
  return <code title={props.image}>{shortImage(props.image)}</code>;
}
