import pkg from "../package.json";

/** Tower's version, from package.json, reported by /healthz and set on machines it deploys. */
export const VERSION: string = pkg.version;
