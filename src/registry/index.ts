export { formatImageRef, type ImageRef, imageName, parseImageRef, registryBaseUrl } from "./image-ref";
export {
  type ManifestDigest,
  REGISTRY_LIMITS,
  RegistryClient,
  type RegistryClientOptions,
  type RegistryLimits,
  type TagList,
} from "./registry-client";
export {
  noRegistryCredentials,
  parseRegistryCredentials,
  RegistryCredentials,
  type RegistryLogin,
} from "./registry-credentials";
export type { RegistryErrorCode } from "./registry-error";
