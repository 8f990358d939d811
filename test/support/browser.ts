/**
 * Headless Chromium from Debian's `chromium` package, driven by playwright-core (whose own browser
 * download cannot work here). playwright starts it with a fresh temporary profile (its own
 * --user-data-dir; it refuses one in `args`) and --headless; each context is a clean session.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots go here for a person to look at; git-ignored. */
export const SCREENSHOTS = resolve(import.meta.dirname, "../../test-output/dashboard");

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export const screenshot = (name: string) => join(SCREENSHOTS, `${name}.png`);
