// Debian's chromium through playwright-core, for the tests that look at pages
// a person uses (the checkout, GraphiQL). On CI (CI=true) a missing chromium
// fails the run: .ci/run installs it. On a developer's machine without it the
// browser tests are announced and skipped.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots for a human to look at (gitignored). */
export const SCREENSHOTS = new URL('../../test-results/', import.meta.url);

export const browserAvailable = existsSync(CHROMIUM);
/** describe.runIf(runBrowserTests): here, or on CI where its absence must fail. */
export const runBrowserTests = browserAvailable || Boolean(process.env.CI);

export function announceMissingBrowser(what: string) {
  if (!browserAvailable && !process.env.CI) {
    console.warn(`Debian's chromium is missing at ${CHROMIUM}: ${what} does not run here (apt-get install -y chromium).`);
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian's chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium); .ci/run does so on CI`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  // launch() gives every run a fresh temporary user-data-dir (and removes it on close).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
