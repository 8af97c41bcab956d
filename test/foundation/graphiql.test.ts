// GraphiQL in a browser with no way out to the internet: every asset comes
// from the server itself (yoga's packaged GraphiQL), so it loads offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/harness.js';
import { announceMissingBrowser, launchChromium, runBrowserTests, SCREENSHOTS } from '../support/browser.js';

announceMissingBrowser('the browser test of GraphiQL');

describe.runIf(runBrowserTests)('GraphiQL', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('loads offline with the schema: nothing is fetched from anywhere but the server', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const outside: string[] = [];
    // Offline: any request to another origin fails, as on a machine without internet.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(t.url) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.goto(`${t.url}/graphql`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('.graphiql-container');
    await page.waitForSelector('.graphiql-execute-button');
    expect(await page.title()).toBe('paygraph');
    // The schema arrives by introspection over the same origin: the docs know the Query type.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('text=Query');
    await page.screenshot({ path: new URL('graphiql-offline.png', SCREENSHOTS).pathname });
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
