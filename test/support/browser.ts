// Debian's chromium through playwright-core, for the tests that look at pages
// a person uses (the checkout, GraphiQL). On CI (CI=true) a missing chromium
// fails the run: .ci/run installs it. On a developer's machine without it the
// browser tests are announced and skipped.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * What went wrong on a page a person would see: script errors, console errors
 * (CSP violations among them) and every response of 400 or more (a failed
 * load is reported by its path, not by the console's "Failed to load resource").
 */
export function recordPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  return problems;
}
