/**
 * What a BuildKit build machine "runs" in the simulator: `buildctl-daemonless.sh build` read from
 * the machine's command and files. A git context is really resolved against its server (git CLI:
 * a depth-1 fetch of the commit, with the Authorization header from the GIT_AUTH_HEADER secret
 * file); the subdir and the Dockerfile must be there. Then a manifest is pushed under the output
 * tag and the machine exits 0. Anything missing throws: the runtime logs an exit event naming it
 * and the machine exits 1. Failures and hangs beyond that come from exit rules (faults).
 *
 * A machine may first fetch its source itself (`sh -c <step> tower-fetch <url> <commit> build …`,
 * Tower's builder-machine.ts FETCH_STEP): the simulator does what that step does — fetch the commit
 * with the header file named in it, delete that file — then builds the fetched folder as a local
 * context. As in BuildKit, every `--secret` of the build session is readable by the Dockerfile's
 * `RUN --mount=type=secret,id=<id>` (https://docs.docker.com/build/building/secrets/): what such
 * mounts read is recorded with the pushed image, so a test can see a credential reach a build.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { mayAccess, registryAccess, type SimRegistry } from "./build-registry";
import type { DeployTokens } from "./deploy-tokens";
import type { MachineProgram } from "./programs";
import type { SimMachine } from "./world";

const run = promisify(execFile);

export interface BuildCommand {
  context?: string;
  locals: Record<string, string>;
  filename: string;
  args: Record<string, string>;
  target?: string;
  output?: string;
  secrets: Record<string, string>;
}

export function isBuildMachine(m: SimMachine): boolean {
  return (m.config.init?.entrypoint ?? []).some((word) => word.includes("buildctl-daemonless.sh"));
}

/** A fetch step before BuildKit: `sh -c <script> <$0> <url> <commit>` as the entrypoint. */
interface FetchStep {
  url: string;
  commit: string;
  /** The header file the script reads (`cat <file>`), deleted before BuildKit runs when it says `rm -f <file>`. */
  headerFile?: string;
  deletesHeader: boolean;
}

function fetchStepOf(m: SimMachine): FetchStep | null {
  const [shell, flag, script, , url, commit] = m.config.init?.entrypoint ?? [];
  if (shell !== "/bin/sh" || flag !== "-c" || !script || !url || !commit) return null;
  if (!/exec buildctl-daemonless\.sh "\$@"/.test(script)) throw new Error("fetch step does not hand over to buildctl");
  const headerFile = /\$\(cat (\S+)\)/.exec(script)?.[1];
  const deletesHeader = headerFile !== undefined && script.includes(`rm -f ${headerFile}`);
  return { url, commit, ...(headerFile ? { headerFile } : {}), deletesHeader };
}

export interface BuildProgramOptions {
  token?: string;
  /** Deploy tokens the API issued: a push with one reaches its own app's repository only. */
  tokens: DeployTokens;
  runMs?: number;
  /** An app secret's value: files with `secret_name` are written from it when the machine starts. */
  secret?: (app: string, name: string) => string | undefined;
}

export function buildProgram(registry: SimRegistry, options: BuildProgramOptions): MachineProgram {
  return {
    name: "buildkit",
    matches: isBuildMachine,
    run: async (m, signal) => {
      const command = parseBuildCommand(m.config.init?.cmd ?? []);
      const files = filesOf(m, options.secret);
      const step = fetchStepOf(m);
      const { host, repo, tag } = parseOutput(command.output);
      const login = dockerLogin(files["/root/.docker/config.json"], host);
      const access = registryAccess(login, options.token, options.tokens);
      if (access === null) throw new Error(`no registry credentials for ${host} in /root/.docker/config.json`);
      if (!mayAccess(access, repo))
        throw new Error(
          `push to ${host}/${repo} denied: the deploy token is for the app ${"app" in access ? access.app : "?"}`,
        );
      const source = step
        ? await readFetchedContext(step, command, files, signal)
        : command.context
          ? await readGitContext(command, files, signal)
          : readLocalContext(command, files);
      if (options.runMs) await new Promise((resolve) => setTimeout(resolve, options.runMs));
      const digest = `sha256:${createHash("sha256")
        .update(JSON.stringify({ source: source.text, args: command.args, target: command.target }))
        .digest("hex")}`;
      const secretsRead = mountedSecrets(source.dockerfile, command, files);
      registry.push({ repo, tag, digest, source: source.text, pushedWith: access.kind, secretsRead });
      return { exitCode: 0 };
    },
  };
}

export function parseBuildCommand(cmd: string[]): BuildCommand {
  if (cmd[0] !== "build") throw new Error(`buildctl: expected "build", got ${JSON.stringify(cmd[0])}`);
  const out: BuildCommand = { locals: {}, filename: "Dockerfile", args: {}, secrets: {} };
  for (let i = 1; i < cmd.length; i += 2) {
    const [flag, value = ""] = [cmd[i], cmd[i + 1]];
    const [key, ...rest] = value.split("=");
    const v = rest.join("=");
    if (flag === "--frontend" && value !== "dockerfile.v0") throw new Error(`unknown frontend ${value}`);
    if (flag === "--opt" && key === "context") out.context = v;
    else if (flag === "--opt" && key === "filename") out.filename = v;
    else if (flag === "--opt" && key === "target") out.target = v;
    else if (flag === "--opt" && key?.startsWith("build-arg:")) out.args[key.slice(10)] = v;
    else if (flag === "--local") out.locals[key!] = v;
    else if (flag === "--output") out.output = value;
    else if (flag === "--secret") {
      const fields = Object.fromEntries(value.split(",").map((f) => f.split("=", 2) as [string, string]));
      if (fields.id && fields.src) out.secrets[fields.id] = fields.src;
    } else if (flag !== "--frontend") throw new Error(`buildctl: unknown flag ${flag} ${value}`);
  }
  return out;
}

function parseOutput(output: string | undefined) {
  const fields = Object.fromEntries((output ?? "").split(",").map((f) => f.split("=", 2) as [string, string]));
  const match = /^([^/]+)\/(.+):([^:/]+)$/.exec(fields.name ?? "");
  if (fields.type !== "image" || fields.push !== "true" || !match)
    throw new Error(`--output must be type=image,name=<host>/<repo>:<tag>,push=true, got ${output}`);
  return { host: match[1]!, repo: match[2]!, tag: match[3]! };
}

/** The machine's files as Fly writes them: `raw_value`, or the named app secret (both base64). */
function filesOf(m: SimMachine, secret: BuildProgramOptions["secret"]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of m.config.files ?? []) {
    let encoded = f.raw_value;
    if (encoded === undefined && f.secret_name !== undefined) {
      encoded = secret?.(m.app, f.secret_name);
      if (encoded === undefined)
        throw new Error(`secret ${f.secret_name} of app ${m.app} is not set (${f.guest_path})`);
    }
    if (encoded !== undefined) files[f.guest_path] = Buffer.from(encoded, "base64").toString("utf8");
  }
  return files;
}

function dockerLogin(configJson: string | undefined, host: string): string | undefined {
  if (!configJson) return undefined;
  const auth = (JSON.parse(configJson) as { auths?: Record<string, { auth?: string }> }).auths?.[host]?.auth;
  return auth ? `Basic ${auth}` : undefined;
}

async function readGitContext(command: BuildCommand, files: Record<string, string>, signal: AbortSignal) {
  const match = /^(.+)#([^:]+)(?::(.*))?$/.exec(command.context!);
  if (!match) throw new Error(`context ${command.context} is not <repo>#<commit>[:<subdir>]`);
  const [, url, commit, subdir = ""] = match as unknown as [string, string, string, string?];
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`context ref ${commit} is not a full 40-character commit`);
  const host = new URL(url).host;
  const secret = command.secrets[`GIT_AUTH_HEADER.${host}`] ?? command.secrets.GIT_AUTH_HEADER;
  const header = secret === undefined ? undefined : files[secret];
  if (secret !== undefined && header === undefined)
    throw new Error(`secret file ${secret} is not in the machine's files`);
  return fetchGitContext({ url, commit, subdir, filename: command.filename, header }, signal);
}

interface GitContext {
  url: string;
  commit: string;
  subdir: string;
  filename: string;
  header: string | undefined;
}

async function fetchGitContext({ url, commit, subdir, filename, header }: GitContext, signal: AbortSignal) {
  const dir = await mkdtemp(join(tmpdir(), "sim-build-"));
  try {
    const git = (...args: string[]) => run("git", ["-C", dir, ...args], { signal });
    await git("init", "--bare", "-q");
    const auth = header ? ["-c", `http.extraHeader=Authorization: ${header}`] : [];
    await git(...auth, "fetch", "-q", "--depth", "1", url, commit).catch((err: Error) => {
      throw new Error(`fetching ${commit} from ${url} failed: ${err.message.split("\n").slice(-2).join(" ")}`);
    });
    const path = [subdir, filename].filter(Boolean).join("/");
    const dockerfile = await git("show", `${commit}:${path}`).catch(() => {
      throw new Error(`failed to read dockerfile: ${path} not found at ${commit}`);
    });
    const tree = (await git("rev-parse", `${commit}:${subdir}`)).stdout.trim();
    const text = `git ${url}#${commit}:${subdir} tree ${tree} ${filename} ${sha(dockerfile.stdout)}`;
    return { text, dockerfile: dockerfile.stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The fetch step's commit, then `--local context=<dir>` inside what it checked out. */
async function readFetchedContext(
  step: FetchStep,
  command: BuildCommand,
  files: Record<string, string>,
  signal: AbortSignal,
) {
  const header = step.headerFile === undefined ? undefined : files[step.headerFile];
  if (step.headerFile !== undefined && header === undefined)
    throw new Error(`cat: ${step.headerFile}: No such file or directory`);
  if (step.deletesHeader && step.headerFile) delete files[step.headerFile];
  const root = /^(\/[^ ]*?)\/?$/.exec(command.locals.context ?? "")?.[1];
  if (!root || command.locals.dockerfile !== command.locals.context)
    throw new Error("a fetched source builds with --local context=<dir> and --local dockerfile=<the same dir>");
  // The step checks out into one folder; the context is it or a folder of it.
  const base = "/tower/src";
  if (root !== base && !root.startsWith(`${base}/`)) throw new Error(`--local context ${root} is not under ${base}`);
  const subdir = root.slice(base.length + 1);
  return fetchGitContext({ url: step.url, commit: step.commit, subdir, filename: command.filename, header }, signal);
}

/**
 * What the Dockerfile's `RUN --mount=type=secret,id=<id>` lines read: the values of those session
 * secrets (`--secret id=<id>,src=<file>`) whose file is on the machine.
 */
function mountedSecrets(dockerfile: string, command: BuildCommand, files: Record<string, string>): string[] {
  const ids = [...dockerfile.matchAll(/--mount=type=secret,id=([^\s,]+)/g)].map((m) => m[1]!);
  return ids.flatMap((id) => {
    const src = command.secrets[id];
    const value = src === undefined ? undefined : files[src];
    return value === undefined ? [] : [value];
  });
}

function readLocalContext(command: BuildCommand, files: Record<string, string>) {
  const dir = command.locals.dockerfile ?? command.locals.context;
  if (!dir) throw new Error("no context: neither --opt context nor --local context was given");
  const path = `${dir}/${command.filename}`;
  const dockerfile = files[path];
  if (dockerfile === undefined) throw new Error(`failed to read dockerfile: ${path} not found in the machine's files`);
  return { text: `local ${path} ${sha(dockerfile)}`, dockerfile };
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
