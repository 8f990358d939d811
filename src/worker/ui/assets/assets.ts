/**
 * The dashboard's two static files. Their URLs carry a hash of their content, so browsers may keep
 * them forever and a new version is a new URL; the CSP then needs neither nonces nor hashes.
 */
import { CLIENT_JS } from "./client-script";
import { STYLE_CSS } from "./style";

export interface Asset {
  path: string;
  type: string;
  body: string;
}

/** FNV-1a, 32 bits: a cache key, not a security measure. */
function contentHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export const STYLE: Asset = {
  path: `/ui/style.${contentHash(STYLE_CSS)}.css`,
  type: "text/css; charset=utf-8",
  body: STYLE_CSS,
};

export const SCRIPT: Asset = {
  path: `/ui/tail.${contentHash(CLIENT_JS)}.js`,
  type: "text/javascript; charset=utf-8",
  body: CLIENT_JS,
};

export const ASSETS: readonly Asset[] = [STYLE, SCRIPT];
