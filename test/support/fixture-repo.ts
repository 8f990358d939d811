/**
 * Build fixture repos on the test git server from any test, Node or workerd: every call is a
 * fetch to the server's `/_admin` API, so a test states its repo in a few lines:
 *
 *   const repo = await createRepo(gitUrl, "config");
 *   const c1 = await repo.commit({ "app.yaml": "app: a\n" });
 *   await repo.tag("v1");
 */
export interface FixtureRepo {
  name: string;
  /** The clone URL (`<server>/<name>.git`). */
  url: string;
  commit(
    files: Record<string, string | null>,
    options?: { branch?: string; message?: string; parent?: string },
  ): Promise<string>;
  branch(name: string, from?: string): Promise<void>;
  tag(name: string, target?: string): Promise<void>;
  /** An annotated tag (a tag object) on `target` (default main); returns the tag object's id. */
  annotatedTag(name: string, message: string, target?: string): Promise<string>;
  deleteRef(ref: string): Promise<void>;
  /** Points any full ref (`refs/pull/7/head`, as GitHub keeps them) at `target`. */
  setRef(ref: string, target: string): Promise<void>;
  refs(): Promise<Record<string, string>>;
  /** `git cat-file -p`: a commit's raw text (`<sha>`) or a file (`<rev>:<path>`). */
  cat(spec: string): Promise<string>;
  /** What `git fsck --strict` finds wrong ("" when nothing). */
  fsck(): Promise<string>;
  /** Creates `count` refs named `<prefix>0`, `<prefix>1`, … at `target` (default main). */
  manyRefs(prefix: string, count: number, target?: string): Promise<void>;
}

let counter = 0;

/** Creates a repo with a unique name (the given name plus a suffix) unless `exact` is set. */
export async function createRepo(
  server: string,
  name: string,
  options: {
    token?: string;
    exact?: boolean;
    protocolV1?: boolean;
    noFilter?: boolean;
    /** Pushes refused by the server (http.receivepack false). */
    readOnly?: boolean;
    /** A pre-receive hook refuses every push with this message. */
    rejectPushes?: string;
    /** The first push loses a race: the server moves the branch (a human's commit) and refuses it. */
    raceFirstPush?: boolean;
  } = {},
): Promise<FixtureRepo> {
  const unique = options.exact ? name : `${name}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const call = async (action: string, body?: unknown) => {
    const res = await fetch(`${server}/_admin/${action}/${unique}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`git fixture ${action} ${unique}: ${JSON.stringify(json)}`);
    return json;
  };
  const { token, protocolV1, noFilter, readOnly, rejectPushes, raceFirstPush } = options;
  await call("create", { token, protocolV1, noFilter, readOnly, rejectPushes, raceFirstPush });
  return {
    name: unique,
    url: `${server}/${unique}.git`,
    async commit(files, opts = {}) {
      return String((await call("commit", { files, ...opts })).sha);
    },
    async branch(branch, from = "refs/heads/main") {
      await call("ref", { ref: `refs/heads/${branch}`, target: from });
    },
    async tag(tag, target = "refs/heads/main") {
      await call("ref", { ref: `refs/tags/${tag}`, target });
    },
    async annotatedTag(tag, message, target = "refs/heads/main") {
      return String((await call("annotated-tag", { tag, message, target })).sha);
    },
    async deleteRef(ref) {
      await call("ref", { ref, target: null });
    },
    async setRef(ref, target) {
      await call("ref", { ref, target });
    },
    async refs() {
      return (await call("refs")) as Record<string, string>;
    },
    async cat(spec) {
      return String((await call("cat", { spec })).text);
    },
    async fsck() {
      return String((await call("fsck", {})).problems);
    },
    async manyRefs(prefix, count, target = "refs/heads/main") {
      await call("many-refs", { prefix, count, target });
    },
  };
}
