import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import chromiumSetup from './chromium.json' with { type: 'json' };

/** Debian's Chromium; nothing on this machine can download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_HINT = 'sudo apt-get install -y chromium';

/**
 * Whether the browser tests can run. Without Chromium they are skipped, loudly; in CI (where
 * `.ci/run` installs it) a missing browser fails the run instead.
 */
export const hasChromium = (() => {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium was not found at ${CHROMIUM}, so the end-to-end browser tests did not run. Install it with: ${INSTALL_HINT}`;
  if (process.env.CI) throw new Error(`${message}. CI must run them.`);
  console.warn(`\n!!! ${message}\n`);
  return false;
})();

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumSetup.flags,
  });
}

export const DESKTOP = { width: 1280, height: 800 } as const;
/** An iPhone SE-sized phone, as issue 6 asks: 375 x 667. */
export const PHONE = { width: 375, height: 667 } as const;
