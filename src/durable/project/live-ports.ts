/** The project's ports wired to the real world: src/git for repos, AppDOs over RPC for apps. */
import type { GitRefSpec } from "../../config/resolved-app";
import { appSecretPolicy } from "../../config/secret-policy";
import type { TowerEnv } from "../../env";
import { fetchCommit, listRemoteRefs, normaliseRepoUrl, parseGitCredentials } from "../../git";
import { parseRegistryCredentials, RegistryClient } from "../../registry";
import { commitPin } from "../images/pin-commit";
import { appStub } from "../stubs";
import { evaluateSnapshot } from "./evaluate-snapshot";
import type { ProjectPorts, ProjectSettings } from "./ports";
import { trackedRef } from "./repo-index";

export function liveProjectPorts(
  env: TowerEnv,
  settings: () => ProjectSettings,
  secretsKey: () => string,
): ProjectPorts {
  const credentials = () => parseGitCredentials(env.GIT_CREDENTIALS);
  const app = (name: string) => appStub(env, name);
  return {
    async listRefs(url, prefixes) {
      const remote = await listRemoteRefs(url, { prefixes, credentials: credentials() });
      // Annotated tags are followed to their commit: that is what a build reads.
      return { ...remote.refs, ...remote.peeled };
    },
    async fetchConfig(url, ref) {
      const snapshot = await fetchCommit(url, { ref }, { credentials: credentials() });
      return { commit: snapshot.commit, tree: snapshot.fileTree(), treeId: (path) => snapshot.treeId(path) };
    },
    async evaluate(snapshot, previous) {
      const secrets = secretsFrom(env);
      const openRepo = async (source: { url: string; ref: GitRefSpec }) => {
        const want = "commit" in source.ref ? { commit: source.ref.commit } : { ref: trackedRef(source.ref)! };
        return (await fetchCommit(source.url, want, { credentials: credentials() })).fileTree();
      };
      const evaluation = await evaluateSnapshot(
        snapshot,
        previous,
        settings(),
        {
          secrets: (key) => secrets[key],
          secretPolicy: appSecretPolicy(env),
          secretsKey: secretsKey(),
        },
        openRepo,
      );
      // One spelling of repo keys everywhere: the one webhooks are normalised with.
      for (const resolved of evaluation.apps)
        if (resolved.source.type === "git")
          resolved.source = { ...resolved.source, repo: normaliseRepoUrl(resolved.source.url) };
      return evaluation;
    },
    async desire(notice) {
      await app(notice.app.name).desire(notice);
    },
    async destroy(name, cause) {
      await app(name).destroyApp(cause);
    },
    async checkDrift(name, cause) {
      await app(name).checkDrift(cause);
    },
    summary: (name) => app(name).summary(),
    registry() {
      const flyHost = new URL(env.FLY_REGISTRY_BASE || "https://registry.fly.io").host;
      return new RegistryClient({
        credentials: parseRegistryCredentials(env.REGISTRY_CREDENTIALS),
        ...(env.FLY_API_TOKEN ? { fly: { host: flyHost, token: env.FLY_API_TOKEN } } : {}),
      });
    },
    commitPin(followed, next, why) {
      const { repo, ref, path } = settings();
      return commitPin({ url: repo, branch: ref, path, credentials: credentials() }, followed, next, why);
    },
  };
}

/** The Worker's string settings and secrets, for `secrets: {from: env}` references in config. */
function secretsFrom(env: TowerEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") values[name] = value;
  return values;
}
