/** What image automation needs from the outside world: a registry client and a way to commit a pin. */
import type { WriteBackResult } from "../../git/write-back";
import type { RegistryClient } from "../../registry/registry-client";
import type { ImageApp } from "./image-apps";

export interface ImagePorts {
  /** A registry client for one slice (it counts its requests against the slice's budget). */
  registry(): RegistryClient;
  commitPin(app: ImageApp, next: string, why: string): Promise<WriteBackResult>;
}
