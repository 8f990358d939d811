export {
  type BuildProgress,
  checkBuildMachine,
  destroyBuildMachine,
  ensureApp,
  launchBuildMachine,
} from "./build-machine-ops";
export {
  type BuildContext,
  type BuildSources,
  type BuildSpec,
  buildKey,
  buildSpecFor,
  dockerfilePath,
  gitContextRef,
} from "./build-spec";
export { type BuildMachineInput, buildMachineRequest, FETCH_STEP } from "./builder-machine";
export {
  type BuildCredentials,
  builderSecrets,
  deployTokenExpiry,
  ensureBuilderSecrets,
  gitAuthSecretName,
  LEGACY_REGISTRY_AUTH_SECRET,
  registryAuthFile,
  type SecretDigests,
} from "./builder-secrets";
export {
  BUILD_TIMEOUT_MS,
  BUILDER_GUEST,
  BUILDKIT_IMAGE,
  type BuilderSettings,
  builderSettings,
  imageByDigest,
  imageTag,
} from "./builder-settings";
export { manifestDigest, type RegistryOptions } from "./registry";
