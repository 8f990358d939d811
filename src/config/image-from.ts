/**
 * `source: {type: image, from: images/staging.json, service: api}`: the app runs the image its
 * wave's images file names for the service. The file is read from the root project's folder of
 * the config repo (where Tower writes it), before hashing, so a new digest is a change to the app.
 * A file or service not there yet (a wave nothing was promoted to) leaves the app out with a
 * warning: there is nothing to deploy yet, which is not a mistake in the config.
 */
import { diagnostic, type Locate } from "./diagnostic";
import type { FileTree } from "./file-tree";
import { deployedImage, parseImagesFile } from "./images-file";
import { isPlainObject, type PlainObject } from "./merge";
import { joinPath } from "./paths";
import type { Diagnostic } from "./resolved-app";

export interface ImageFromPlace {
  /** The app file, for messages. */
  file: string;
  /** Folder of the root project in the tree. */
  root: string;
  /** Set for apps of a git-sourced nested project: their tree is not the config repo. */
  nested: boolean;
}

/** An app left out until its images file names its service. */
export interface WaitingApp {
  name: string;
  file: string;
  service: string;
}

export async function readImageFrom(
  config: PlainObject,
  tree: FileTree,
  place: ImageFromPlace,
  locate: Locate,
): Promise<{ config?: PlainObject; diagnostics: Diagnostic[]; waiting?: WaitingApp }> {
  const source = isPlainObject(config.source) ? config.source : undefined;
  if (typeof source?.from !== "string") return { config, diagnostics: [] };
  const say = (severity: Diagnostic["severity"], field: string, message: string) => ({
    diagnostics: [diagnostic(severity, place.file, locate(["source", field]), message, ["source", field])],
  });
  const waiting = {
    waiting: {
      name: String(config.app),
      file: joinPath(place.root, source.from) ?? "",
      service: String(source.service),
    },
  };
  const sayWaiting = (severity: Diagnostic["severity"], field: string, message: string) => ({
    ...say(severity, field, message),
    ...waiting,
  });
  if (place.nested) return say("error", "from", "images files live in the root config repo (Tower writes them there)");
  const path = joinPath(place.root, source.from);
  if (path === undefined) return say("error", "from", `${source.from} points outside the config tree`);
  const service = String(source.service);
  const text = await tree.read(path);
  if (text === undefined)
    return sayWaiting(
      "warning",
      "from",
      `${path} does not exist yet: the app deploys once a digest is announced or promoted to it`,
    );
  const parsed = parseImagesFile(text);
  if (!parsed.ok) return say("error", "from", `${path}: ${parsed.problems.join("; ")}`);
  const entry = parsed.images[service];
  if (!entry)
    return sayWaiting(
      "warning",
      "service",
      `${path} has no ${service} yet: the app deploys once one is announced or promoted`,
    );
  return { config: { ...config, source: { ...source, from: path, image: deployedImage(entry) } }, diagnostics: [] };
}
