/**
 * What a deploy of a locally evaluated app would want, as near as the CLI can know it: the Worker
 * deploys with its own secret values and, for apps built from source, an image it builds first.
 * Neither is here, so each gap is filled from what Fly runs and said so in a note. Pure.
 */
import { MACHINE_METADATA } from "../base/machine-metadata";
import { processSecretsKey, secretsDigest } from "../base/secrets-digest";
import { configHashOf, type DesiredApp, type ResolvedApp, resolveSecrets, toDesiredApp } from "../config";
import { type LiveApp, managedMachines } from "../fly";

export interface DiffInput {
  desired: DesiredApp;
  image: { ref: string; from: "config" | "live" | "build" };
  /** "values": every secret value was at hand; "names": digests taken from Fly, names compared. */
  secretsCompared: "values" | "names";
  notes: string[];
}

export function desiredForDiff(
  app: ResolvedApp,
  live: LiveApp,
  lookup: (key: string) => string | undefined,
): DiffInput {
  const notes: string[] = [];
  const image = imageFor(app, live);
  if (image.from === "live") notes.push(`built from source: compared with the image Fly runs (${image.ref})`);
  if (image.from === "build") notes.push("built from source: Tower builds the image before the first deploy");

  const { values, missing } = resolveSecrets(app, lookup);
  let resolved = app;
  let digest = secretsDigest(values, processSecretsKey());
  if (missing.length > 0 || live.secretsDigest) {
    // The Worker's digest (and so the config hash the machines carry) is keyed with a key only
    // Tower holds, and may cover values this shell does not have: take the digest Fly's machines
    // carry, as if the values had not changed (this shell cannot tell).
    digest = live.secretsDigest ?? digest;
    const { configHash: _stale, ...rest } = app;
    // The config hash covers that keyed digest too, so it cannot be recomputed here either: take the
    // one Fly's machines agree on. Every machine field is still compared one by one by the planner.
    const configHash = agreedConfigHash(live) ?? configHashOf({ ...rest, secretsDigest: digest });
    resolved = { ...app, secretsDigest: digest, configHash };
    if (missing.length > 0)
      notes.push(`secret values not in this environment (${missing.join(", ")}): secrets compared by name only`);
  }
  const desired = toDesiredApp(resolved, { image: image.ref, secretValues: values, releaseId: "", releaseVersion: 0 });
  // The planner reads secret names off `secrets`; a missing value is never sent anywhere (the CLI
  // does not deploy), so an empty stand-in keeps the name without inventing a value.
  for (const name of missing) desired.secrets[name] = "";
  desired.secretsDigest = digest;
  return { desired, image, secretsCompared: missing.length > 0 ? "names" : "values", notes };
}

/** The config hash every managed machine carries, or null when they differ or carry none. */
function agreedConfigHash(live: LiveApp): string | null {
  const hashes = new Set(managedMachines(live.machines).map((m) => m.config?.metadata?.[MACHINE_METADATA.configHash]));
  const [only] = [...hashes];
  return hashes.size === 1 && typeof only === "string" && only !== "" ? only : null;
}

function imageFor(app: ResolvedApp, live: LiveApp): DiffInput["image"] {
  if (app.source.type === "image") return { ref: app.source.image, from: "config" };
  const running = managedMachines(live.machines).find((m) => m.config?.image)?.config?.image;
  return running ? { ref: running, from: "live" } : { ref: `registry.fly.io/${app.name}:<build>`, from: "build" };
}
