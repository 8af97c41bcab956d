// The operators' console in a real browser (Debian's chromium through
// playwright-core) against a real paygraph and its sandbox: sign in, watch an
// order turn paid live, resolve a review item, match a bank line, add a
// webhook endpoint and see its test delivery, look at today's money, edit a
// provider account, read provider health and an order's attempts, change a
// routing rule and preview a route. One browser for the file; each test its
// own merchant.
// Screenshots (desktop and phone) land in test-results/console/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { announceMissingBrowser, launchChromium, recordPageProblems, runBrowserTests, SCREENSHOTS as RESULTS } from '../support/browser.js';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { cardInReview, lineInReview, openBankOrder, underpaidCashIn } from '../review/support.js';
import { startReceiver } from '../webhooks/support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = new URL('console/', RESULTS);
const DESKTOP = { viewport: { width: 1280, height: 860 } };
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};

const normalize = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
/** What a person reads: the text as laid out (block elements apart), spaces collapsed. */
const read = async (locator: { innerText(): Promise<string> }) => normalize(await locator.innerText());
/** Reads a locator once its text matches `shown` (a part that arrives by a later query). */
const readOnce = async (locator: Locator, shown: RegExp) => {
  await locator.filter({ hasText: shown }).waitFor();
  return read(locator);
};

// As the checkout's browser test: on CI a missing chromium fails the run; elsewhere the file says it did not run.
announceMissingBrowser("the console's browser tests");

describe.runIf(runBrowserTests)('the operators’ console', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // What `npm start` does before starting: build the console (a no-op when it is up to date).
    const build = spawnSync(process.execPath, ['scripts/build-console.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr + build.stdout).toBe(0);
    expect(existsSync(new URL('../../console/dist/index.html', import.meta.url))).toBe(true);
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });

  /** A page that records script errors, CSP violations and failed requests: every test ends expecting none. */
  async function openPage(options: Parameters<Browser['newContext']>[0] = DESKTOP, language: 'en' | 'vi' = 'en') {
    const context = await browser.newContext({ ...options, locale: language === 'vi' ? 'vi-VN' : 'en-GB', timezoneId: 'Asia/Ho_Chi_Minh' });
    contexts.push(context);
    const page = await context.newPage();
    return { page, problems: recordPageProblems(page) };
  }

  async function signIn(page: Page, apiKey: string, operator: string) {
    await page.goto(`${t.url}/console`);
    await page.getByLabel(/API key|Khóa API/).fill(apiKey);
    await page.getByLabel(/Your name|Tên của bạn/).fill(operator);
    await page.getByRole('button', { name: /^(Sign in|Đăng nhập)$/ }).click();
    await page.waitForSelector('header.topbar');
    await page.waitForSelector('.live-live'); // the overview's subscription is connected
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
  const noHorizontalScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const sessionKeys = (merchantId: string) => t.app.db.prisma.apiKey.findMany({ where: { merchantId, name: { startsWith: 'console session' } } });

  it('signs in with a key it does not keep, works with a short-lived session key, and revokes it at sign-out', async () => {
    const shop = await createMerchant(t.app, 'Cửa hàng Sen');
    const { page, problems } = await openPage(PHONE, 'vi');
    const response = await page.goto(`${t.url}/console/orders`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    // Vietnamese from the browser's language.
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByLabel('Khóa API').fill(`pg_sk_${'x'.repeat(40)}`);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    expect(await read(page.getByRole('alert'))).toBe('Khóa bị từ chối: sai, đã thu hồi hoặc đã hết hạn.');
    await noHorizontalScroll(page);
    await shot(page, 'sign-in-phone');

    await page.getByLabel('Khóa API').fill(shop.apiKey);
    await page.getByLabel(/Tên của bạn/).fill('Lan');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    // The address asked for before signing in is where the console opens.
    await page.waitForSelector('#orders, .page-head h1');
    expect(await read(page.locator('main h1'))).toBe('Đơn hàng');

    const [session] = await sessionKeys(shop.merchantId);
    expect(session!.name).toBe('console session (Lan)');
    const lifetime = session!.expiresAt!.getTime() - session!.createdAt.getTime();
    expect(lifetime).toBeGreaterThan(8 * 60 * 60_000 - 5_000);
    expect(lifetime).toBeLessThanOrEqual(8 * 60 * 60_000 + 5_000);
    // The page holds the session key, never the typed one; nothing in localStorage but the language.
    const storage = await page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }));
    expect(storage).not.toContain(shop.apiKey);
    expect(storage).toMatch(/pg_sk_/);
    expect(Object.keys(JSON.parse(storage).local)).toEqual([]);

    // The phone menu opens from its button and is a list of links.
    await page.getByRole('button', { name: /Menu/ }).click();
    await page.getByRole('link', { name: 'Khóa API' }).click();
    await page.waitForSelector('#api-keys');
    expect(await read(page.locator(`tr[data-key-id="${session!.id}"]`))).toContain('phiên này');
    await noHorizontalScroll(page);
    await shot(page, 'access-phone');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForSelector('text=Bạn đã đăng xuất; khóa phiên đã bị thu hồi.');
    expect((await t.app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: session!.id } })).revokedAt).not.toBeNull();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The key that was typed still works.
    expect((await gql(t.url, '{ merchant { id } }', {}, shop.apiKey)).data.merchant.id).toBe(shop.merchantId);
    expect(problems.filter((p) => !p.startsWith('401 /graphql'))).toEqual([]);
  });

  it('shows an order turn paid live in the list and on its page, with its timeline and instructions', async () => {
    const shop = await createMerchant(t.app, 'Shop Lotus');
    const { page, problems } = await openPage();
    await signIn(page, shop.apiKey, 'Minh');
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.waitForSelector('text=No orders match.');
    // A reload would lose this marker: the list must change by itself.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    const { data: order } = await createCashIn(t.url, shop.apiKey, { amount: '150000', idempotencyKey: 'console-live', merchantReference: 'HD-2001' });
    const row = page.locator(`tr[data-order-id="${order.id}"]`);
    await row.locator('[data-status="PENDING"]').waitFor();
    expect(await read(row)).toContain('HD-2001');
    expect(await read(row)).toContain('150.000 ₫');
    await shot(page, 'orders-desktop-pending');

    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
    await row.locator('[data-status="SUCCEEDED"]').waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await shot(page, 'orders-desktop-paid');

    // Filters: by status, in the address.
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForSelector('text=No orders match.');
    expect(page.url()).toContain('status=FAILED');
    await page.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();

    await row.getByRole('link', { name: 'HD-2001' }).click();
    await page.waitForSelector('#order-timeline');
    expect(await read(page.locator('main h1'))).toBe('Order HD-2001');
    const timeline = page.locator('#order-timeline > li');
    expect(await timeline.count()).toBe(2);
    expect(await read(timeline.nth(0))).toContain('API');
    expect(await read(timeline.nth(1))).toMatch(/Pending → Succeeded.*Callback · provider callback/);
    // The raw provider payload, folded.
    await timeline.nth(1).getByText('Raw provider payload').click();
    expect(await timeline.nth(1).locator('pre.payload').textContent()).toContain(order.requestId);
    const instructions = await read(page.locator('section[aria-labelledby="instructions"]'));
    for (const value of [order.instructions.accountNumber, order.instructions.transferContent]) expect(instructions).toContain(value);
    // A paid order: nothing left to refresh or cancel.
    expect(await page.getByRole('button', { name: 'Ask the provider now' }).count()).toBe(0);
    await shot(page, 'order-desktop');

    const phone = await openPage(PHONE);
    await signIn(phone.page, shop.apiKey, 'Minh');
    await phone.page.goto(`${t.url}/console/orders/${order.id}`);
    await phone.page.waitForSelector('#order-timeline');
    await noHorizontalScroll(phone.page);
    await shot(phone.page, 'order-phone');
    expect([...problems, ...phone.problems]).toEqual([]);
  });

  it('resolves an underpaid order from the review queue with a note, by keyboard, and shows who did it', async () => {
    const shop = await createMerchant(t.app, 'Shop Mai');
    const order = await underpaidCashIn(t, shop, 200_000, 150_000);
    const { page, problems } = await openPage();
    await signIn(page, shop.apiKey, 'Lan');
    await page.getByRole('link', { name: /Review queue/ }).click();
    const item = page.locator(`li[data-review-id="${order.id}"]`);
    await item.waitFor();
    const text = await read(item);
    expect(text).toContain('Underpaid');
    expect(text).toContain('Expected 200.000 ₫');
    expect(text).toContain('Arrived 150.000 ₫');
    await shot(page, 'review-desktop');

    // Keyboard only: focus the button, Enter opens the dialog, the note is required, Escape closes it.
    await item.getByRole('button', { name: 'Accept as paid' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByLabel('Accepted as settled (đồng)').inputValue()).toBe('150000');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // The native dialog closes at once; the focus goes back to its button when the console removes it.
    await page.waitForFunction(() => document.activeElement?.textContent === 'Accept as paid');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    expect(await read(dialog.getByRole('alert'))).toBe('A note is required.');
    await dialog.getByLabel(/^Note/).fill('Customer paid 150k by phone agreement');
    await dialog.getByRole('button', { name: 'Confirm' }).press('Enter');
    await item.waitFor({ state: 'detached' });
    const decided = await read(page.locator('#decisions'));
    expect(decided).toMatch(/Lan accepted PG\w+ \(150\.000 ₫\) as paid/);
    expect(decided).toContain('“Customer paid 150k by phone agreement”');
    await shot(page, 'review-desktop-decided');

    const stored = await t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { events: { orderBy: { createdAt: 'asc' } } } });
    const [session] = await sessionKeys(shop.merchantId);
    expect([stored.status, stored.settledAmount, stored.reviewOpenedAt]).toEqual(['SUCCEEDED', 150_000n, null]);
    expect(stored.events.at(-1)).toMatchObject({ toStatus: 'SUCCEEDED', cause: 'MANUAL', actor: `api-key:${session!.id}`, note: 'Customer paid 150k by phone agreement' });

    // The order's timeline names the person.
    await page.locator('#decisions').getByRole('link', { name: 'Open' }).click();
    await page.waitForSelector('#order-timeline');
    // The key names arrive by a query of their own: until then the raw actor shows.
    const last = await readOnce(page.locator('#order-timeline > li').last(), /A person · console session/);
    expect(last).toMatch(/Needs review → Succeeded.*A person · console session \(Lan\) \(pg_sk_/);
    expect(last).toContain('Customer paid 150k by phone agreement');

    // A card charge whose outcome never came: accepted with what the provider's report says was credited.
    const charge = await cardInReview(t, shop, 100_000n);
    await page.getByRole('link', { name: /Review queue/ }).click();
    const card = page.locator(`li[data-review-id="${charge.id}"]`);
    await card.waitFor();
    expect(await read(card)).toContain('Outcome never confirmed');
    await card.getByRole('button', { name: 'Accept as paid' }).click();
    await dialog.getByLabel('Amount received (đồng)').fill('85.000');
    await dialog.getByLabel(/^Note/).fill('Partner report of 30/11 shows it credited');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await card.waitFor({ state: 'detached' });
    const settled = await t.app.db.prisma.cardCharge.findUniqueOrThrow({ where: { id: charge.id } });
    expect([settled.status, settled.amountReceived, settled.reviewOpenedAt]).toEqual(['SUCCEEDED', 85_000n, null]);
    expect(problems).toEqual([]);
  });

  it('matches an unclaimed bank line to an order found by search, and shows and exports the statement', async () => {
    const shop = await createMerchant(t.app, 'Shop Cuc');
    const order = await openBankOrder(t, shop, 175_000);
    const line = await lineInReview(t, shop, 175_000);
    const { page, problems } = await openPage();
    await signIn(page, shop.apiKey, 'Hoa');
    await page.goto(`${t.url}/console/review`);
    const item = page.locator(`li[data-review-id="${line.id}"]`);
    await item.waitFor();
    expect(await read(item)).toContain('Payment no order claimed');
    await item.getByRole('button', { name: 'Match to an order' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Find a bank-transfer order/).fill(order.requestId);
    const candidate = dialog.getByRole('radio', { name: new RegExp(order.requestId) });
    await candidate.waitFor();
    expect(await read(dialog.locator('label.candidate').first())).toContain('same amount');
    await candidate.check();
    await dialog.getByLabel(/^Note/).fill('Payer forgot the code; amount and name match');
    await shot(page, 'review-desktop-match');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await item.waitFor({ state: 'detached' });
    // The decision log may render just after the item leaves: wait for the line rather than read once.
    await expect.poll(() => read(page.locator('#decisions')), { timeout: 30_000 }).toContain(`Hoa matched line ${line.refNo} to order ${order.requestId}`);

    const stored = await t.app.db.prisma.bankTransaction.findUniqueOrThrow({ where: { id: line.id } });
    const [session] = await sessionKeys(shop.merchantId);
    expect([stored.matchedOrderId, stored.reviewOpenedAt, stored.reviewedBy, stored.reviewNote]).toEqual([order.id, null, `api-key:${session!.id}`, 'Payer forgot the code; amount and name match']);
    expect(await waitForStatus(t.app, order.id, ['SUCCEEDED'])).toBe('SUCCEEDED');

    // Another line, not a payment for this shop: its review is closed with a note.
    const stray = await lineInReview(t, shop, 42_000);
    await page.getByRole('link', { name: /Review queue/ }).click();
    const strayItem = page.locator(`li[data-review-id="${stray.id}"]`);
    await strayItem.getByRole('button', { name: 'Close without an order' }).click();
    await dialog.getByLabel(/^Note/).fill('Refunded to the sender on 30/11');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await strayItem.waitFor({ state: 'detached' });
    const closed = await t.app.db.prisma.bankTransaction.findUniqueOrThrow({ where: { id: stray.id } });
    expect([closed.matchedOrderId, closed.reviewOpenedAt, closed.reviewNote]).toEqual([null, null, 'Refunded to the sender on 30/11']);

    // The statement: the line now tied to the order, who decided, and a CSV export.
    await page.getByRole('link', { name: 'Bank statement' }).click();
    const row = page.locator(`tr[data-line-id="${line.id}"]`);
    await row.waitFor();
    expect(await read(row)).toContain(order.requestId);
    expect(await readOnce(row, /Decided by console/)).toContain('Decided by console session (Hoa)');
    await page.locator('select[name="matched"]').selectOption('false');
    await page.getByRole('button', { name: 'Apply' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^statement-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(line.refNo);
    await shot(page, 'bank-desktop');
    expect(problems).toEqual([]);
  });

  it('adds a webhook endpoint, shows its secret once, and sees its test delivery arrive', async () => {
    const shop = await createMerchant(t.app, 'Shop Dao');
    const receiver = await startReceiver();
    try {
      const { page, problems } = await openPage();
      await signIn(page, shop.apiKey, 'Tuan');
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByLabel('URL').fill(`${receiver.url}/hooks/paygraph`);
      await page.getByLabel('Description (optional)').fill('Shop backend');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = await read(page.locator('#webhook-secret'));
      expect(secret).toMatch(/^whsec_/);
      const endpoint = await t.app.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { merchantId: shop.merchantId } });
      const card = page.locator(`li[data-endpoint-id="${endpoint.id}"]`);
      expect(await read(card)).toContain('order.succeeded');

      await card.getByRole('button', { name: 'Send a test' }).click();
      const [test] = await receiver.waitFor(1, (webhook) => webhook.json.type === 'webhook.test');
      // Signed with the secret the console showed.
      expect(new Webhook(secret).verify(test!.body, test!.headers)).toMatchObject({ type: 'webhook.test' });
      const delivery = card.locator('li.delivery[data-status="DELIVERED"]');
      await delivery.waitFor();
      expect(await read(delivery)).toContain('webhook.test');
      expect(await read(delivery)).toContain('HTTP 200');
      await delivery.getByText('Details').click();
      await delivery.locator('pre.payload').first().waitFor();
      expect(await read(delivery)).toContain('Attempt 1: HTTP 200');
      await page.getByRole('button', { name: 'Done' }).click();
      await shot(page, 'webhooks-desktop');

      // Send it again: the same event id.
      await delivery.getByRole('button', { name: 'Send again' }).click();
      const both = await receiver.waitFor(2, (webhook) => webhook.json.type === 'webhook.test');
      expect(both[1]!.headers['webhook-id']).toBe(both[0]!.headers['webhook-id']);

      // Rotate (a new secret, shown once) and disable.
      await card.getByRole('button', { name: 'Rotate the secret' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Rotate the secret' }).click();
      const rotated = await read(page.locator('#webhook-secret'));
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await card.getByRole('button', { name: 'Disable' }).click();
      await card.getByRole('button', { name: 'Enable' }).waitFor();
      expect((await t.app.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).enabled).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("draws today's money per provider and method, and the review queue's age, live", async () => {
    const shop = await createMerchant(t.app, 'Shop Hong');
    const { data: paid } = await createCashIn(t.url, shop.apiKey, { amount: '250000', idempotencyKey: 'console-overview-1' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: paid.requestId, outcome: 'succeed', callback: 'once' });
    expect(await waitForStatus(t.app, paid.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
    const { data: momo } = await createCashIn(t.url, shop.apiKey, { amount: '90000', method: 'MOMO', idempotencyKey: 'console-overview-2' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: momo.requestId, outcome: 'succeed', callback: 'once' });
    expect(await waitForStatus(t.app, momo.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
    await underpaidCashIn(t, shop, 120_000, 100_000);
    await lineInReview(t, shop, 60_000, new Date(Date.now() - 30 * 60 * 60_000));

    const { page, problems } = await openPage();
    await signIn(page, shop.apiKey, 'Lan');
    const totalIn = page.getByTestId('total-in');
    expect(await read(totalIn)).toBe('Money in 340.000 ₫ 2 payments');
    const bars = page.locator('svg[role="img"]').first();
    expect(normalize(await bars.locator('desc').textContent())).toBe('AZConnectPay · bank transfer (Cash-in): 250.000 ₫; AZConnectPay · MoMo (Cash-in): 90.000 ₫');
    expect(await bars.locator('rect').count()).toBe(2);
    expect(await read(page.getByTestId('review-total'))).toMatch(/^2 waiting; the oldest since/);
    expect(normalize(await page.locator('svg[role="img"]').nth(1).locator('desc').textContent())).toBe('under 1 h: 1; 1–4 h: 0; 4–24 h: 0; 1–3 days: 1; 3 days or more: 0');
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    // Money that settles now shows up without a reload.
    const { data: more } = await createCashIn(t.url, shop.apiKey, { amount: '10000', idempotencyKey: 'console-overview-3' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: more.requestId, outcome: 'succeed', callback: 'once' });
    await page.waitForFunction(() => document.querySelector('[data-testid="total-in"] strong')?.textContent?.includes('350.000'));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await shot(page, 'overview-desktop');

    const phone = await openPage(PHONE, 'vi');
    await signIn(phone.page, shop.apiKey, 'Lan');
    expect(await read(phone.page.getByTestId('total-in'))).toBe('Tiền vào 350.000 ₫ 3 giao dịch');
    await noHorizontalScroll(phone.page);
    await shot(phone.page, 'overview-phone');
    expect([...problems, ...phone.problems]).toEqual([]);
  });

  it('adds a provider account, shows its secrets masked, and saves an edit that keeps what was not typed', async () => {
    const shop = await createMerchant(t.app, 'Shop Tra');
    const { page, problems } = await openPage();
    await signIn(page, shop.apiKey, 'Lan');
    await page.getByRole('link', { name: 'Provider accounts' }).click();
    await page.waitForSelector('text=No provider account yet.');
    await page.getByRole('button', { name: 'Add a provider account' }).click();
    const add = page.getByRole('dialog');
    await add.getByLabel('Provider').selectOption('AZCONNECTPAY');
    await add.getByLabel(/^Values/).fill(JSON.stringify({ baseUrl: 'https://azconnectpay.site', apiKey: 'live-apikey-0000-1111-a1b2', privateKey: 'live-private-key-2222-c3d4' }));
    await add.getByRole('button', { name: 'Save' }).click();
    await add.waitFor({ state: 'hidden' });

    const account = page.locator('section[data-provider="AZCONNECTPAY"]');
    await account.waitFor();
    expect(await read(account.locator('[data-secret="apiKey"]'))).toBe('apiKey set …a1b2');
    expect(await read(account.locator('[data-secret="privateKey"]'))).toBe('privateKey set …c3d4');
    expect(await read(account)).not.toContain('live-private-key');
    await shot(page, 'providers-desktop');

    // A new private key typed; the API key left empty (kept), the base URL sent back as it was.
    await account.getByRole('button', { name: /Edit/ }).click();
    const edit = page.getByRole('dialog');
    expect(await edit.getByLabel('privateKey').getAttribute('placeholder')).toContain('…c3d4');
    await edit.getByLabel('privateKey').fill('rotated-private-key-9f3c');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.waitForSelector('section[data-provider="AZCONNECTPAY"] [data-secret="privateKey"]:has-text("…9f3c")');
    const [stored] = await t.app.services.providerAccounts.describe(shop.merchantId);
    expect(stored).toMatchObject({ provider: 'AZCONNECTPAY', enabled: true, settings: { baseUrl: 'https://azconnectpay.site' } });
    expect(stored!.secrets).toEqual([
      { name: 'apiKey', isSet: true, hint: '…a1b2' },
      { name: 'privateKey', isSet: true, hint: '…9f3c' },
    ]);
    expect(problems).toEqual([]);
  });

  it('shows provider health and an order’s attempts, saves routing rules edited by keyboard, and previews the route', async () => {
    const shop = await createMerchant(t.app, 'Shop Sen');
    // AZConnectPay refuses once: createPayment fails over to VNKash, and both calls show in the health.
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'error', code: 422, message: 'merchant blocked' } });
    const created = await gql(
      t.url,
      `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { __typename ... on MutationCreatePaymentSuccess { data { order { id attempts { route outcome } } } } } }`,
      { input: { amount: '250000', method: 'BANK_TRANSFER', idempotencyKey: 'console-routing-1' } },
      shop.apiKey,
    );
    const order = created.data.createPayment.data.order;
    expect(order.attempts).toEqual([
      { route: 'AZCONNECTPAY', outcome: 'REFUSED' },
      { route: 'VNKASH', outcome: 'ACCEPTED' },
    ]);

    const { page, problems } = await openPage();
    await signIn(page, shop.apiKey, 'Lan');
    await page.getByRole('link', { name: 'Provider accounts' }).click();
    const az = page.locator('tr[data-health="AZCONNECTPAY"]');
    await az.waitFor();
    expect(await read(az)).toMatch(/^AZConnectPay Closed: sending 100 % \d+ ms 0 0 succeeded, 1 refused, 0 failed$/);
    expect(await read(page.locator('tr[data-health="VNKASH"]'))).toMatch(/^VNKash Closed: sending 100 % \d+ ms 0 1 succeeded, 0 refused, 0 failed$/);
    await shot(page, 'providers-health-desktop');

    // The order's page lists the providers tried, in order.
    await page.goto(`${t.url}/console/orders/${order.id}`);
    const attempts = page.locator('#order-attempts tbody tr');
    await attempts.first().waitFor();
    expect(await attempts.count()).toBe(2);
    expect(await read(attempts.nth(0))).toMatch(/^AZConnectPay PG\w+ Refused merchant blocked .*success:false/);
    expect(await read(attempts.nth(1))).toMatch(/^VNKash PG\w+ Accepted/);
    await shot(page, 'order-attempts-desktop');

    // Routing: no rules yet; build AZConnectPay (500.000–5.000.000 ₫) then VNKash for bank transfers.
    await page.getByRole('link', { name: 'Routing' }).click();
    await page.waitForSelector('text=No rules yet: every method uses the default order.');
    const editor = page.locator('#routing-editor');
    expect(await editor.getByLabel('Direction').inputValue()).toBe('IN');
    expect(await editor.getByLabel('Method').inputValue()).toBe('BANK_TRANSFER');
    for (const route of ['VNKASH', 'AZCONNECTPAY', 'HUB_SHARKPAY']) {
      await editor.getByLabel('Route to add').selectOption(route);
      await editor.getByRole('button', { name: 'Add', exact: true }).click();
    }
    // SharkPay collects only through its own page: the API refuses the list and names the row; the focus goes there.
    await editor.getByRole('button', { name: 'Save the rules' }).click();
    await page.waitForSelector('#routing-rules-2-route-error');
    expect(await read(page.locator('#routing-rules-2-route-error'))).toBe('HUB_SHARKPAY does not offer BANK_TRANSFER collection');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-describedby') === 'routing-rules-2-route-error');
    await editor.getByRole('button', { name: 'Remove: Payment Hub · SharkPay' }).click();
    // Keyboard: move AZConnectPay up; the focus stays on its row.
    await editor.getByRole('button', { name: 'Move up: AZConnectPay' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move down: AZConnectPay');
    expect(await editor.locator('li[data-rule]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-rule')))).toEqual(['AZCONNECTPAY', 'VNKASH']);
    await editor.getByLabel('From (đồng, optional): AZConnectPay').fill('500.000');
    await editor.getByLabel('Up to (đồng, optional): AZConnectPay').fill('100000');
    await editor.getByRole('button', { name: 'Save the rules' }).click();
    // The API's ValidationError lands beside the field it names; nothing is stored.
    const max = editor.getByLabel('Up to (đồng, optional): AZConnectPay');
    await page.waitForSelector('#routing-rules-0-maxAmount-error');
    expect(await read(page.locator('#routing-rules-0-maxAmount-error'))).toBe('must not be below minAmount');
    expect(await max.getAttribute('aria-invalid')).toBe('true');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-describedby') === 'routing-rules-0-maxAmount-error');
    expect(await t.app.db.prisma.routingRule.count({ where: { merchantId: shop.merchantId } })).toBe(0);
    await max.fill('5.000.000');
    await editor.getByRole('button', { name: 'Save the rules' }).click();
    const summary = page.locator('li[data-list="IN:BANK_TRANSFER"]');
    await summary.waitFor();
    expect(await read(summary)).toBe('Collect (in) · Bank transfer: AZConnectPay (500.000 ₫–5.000.000 ₫) → VNKash Edit');
    const stored = async () =>
      (await t.app.db.prisma.routingRule.findMany({ where: { merchantId: shop.merchantId }, orderBy: { position: 'asc' } })).map((r) => [r.direction, r.method, r.position, r.route, r.enabled, r.minAmount, r.maxAmount]);
    expect(await stored()).toEqual([
      ['IN', 'BANK_TRANSFER', 0, 'AZCONNECTPAY', true, 500_000n, 5_000_000n],
      ['IN', 'BANK_TRANSFER', 1, 'VNKASH', true, null, null],
    ]);

    // The preview: below AZConnectPay's bound VNKash takes it; above it AZConnectPay does.
    const preview = page.locator('#route-preview');
    const result = page.locator('#preview-result');
    await preview.getByLabel('Amount').fill('200.000');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await result.getByText('Would go to VNKash').waitFor();
    expect(await read(result.locator('li[data-route="AZCONNECTPAY"]'))).toBe("Skipped AZConnectPay: below this rule's lower bound of 500,000 đồng");
    expect(await read(result.locator('li[data-route="VNKASH"]'))).toBe('Candidate #1 VNKash: allowed by the routing rules');
    await preview.getByLabel('Amount').fill('800000');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await result.getByText('Would go to AZConnectPay').waitFor();
    expect(await read(result.locator('li[data-route="VNKASH"]'))).toBe('Candidate #2 VNKash: allowed by the routing rules');

    // Turned off: saved, and the preview skips it.
    await editor.getByLabel('On: AZConnectPay').uncheck();
    await editor.getByRole('button', { name: 'Save the rules' }).click();
    await page.waitForSelector('li[data-list="IN:BANK_TRANSFER"]:has-text("(off)")');
    expect((await stored()).map((row) => row[4])).toEqual([false, true]);
    await preview.getByRole('button', { name: 'Preview' }).click();
    await result.getByText('Would go to VNKash').waitFor();
    expect(await read(result.locator('li[data-route="AZCONNECTPAY"]'))).toBe('Skipped AZConnectPay: turned off in the routing rules');
    // Loaded afresh, the editor shows what is stored.
    await page.goto(`${t.url}/console/routing`);
    await editor.locator('li[data-rule="VNKASH"]').waitFor();
    expect(await editor.getByLabel('On: AZConnectPay').isChecked()).toBe(false);
    expect(await editor.getByLabel('Up to (đồng, optional): AZConnectPay').inputValue()).toBe('5000000');
    await preview.getByLabel('Amount').fill('800000');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await result.getByText('Would go to VNKash').waitFor();
    await shot(page, 'routing-desktop');

    // On a phone, in Vietnamese.
    const phone = await openPage(PHONE, 'vi');
    await signIn(phone.page, shop.apiKey, 'Lan');
    await phone.page.getByRole('button', { name: /Menu/ }).click();
    await phone.page.getByRole('link', { name: 'Định tuyến' }).click();
    await phone.page.locator('li[data-list="IN:BANK_TRANSFER"]').waitFor();
    const phonePreview = phone.page.locator('#route-preview');
    await phonePreview.getByLabel('Số tiền').fill('200000');
    await phonePreview.getByRole('button', { name: 'Xem trước' }).click();
    await phone.page.locator('#preview-result').getByText('Sẽ đi qua VNKash').waitFor();
    expect(await read(phone.page.locator('#preview-result li[data-route="AZCONNECTPAY"]'))).toBe('Bỏ qua AZConnectPay: đang tắt trong quy tắc định tuyến');
    await noHorizontalScroll(phone.page);
    await shot(phone.page, 'routing-phone');
    // A payout to a MoMo phone: a malformed phone comes back beside its field; a good one is routed.
    await phonePreview.getByLabel('Chiều').selectOption('OUT');
    await phonePreview.getByLabel('Người nhận').selectOption('momo');
    await phonePreview.getByLabel('Số điện thoại MoMo').fill('12345');
    await phonePreview.getByLabel('Tên').fill('Lan');
    await phonePreview.getByRole('button', { name: 'Xem trước' }).click();
    await phone.page.locator('#preview-payee-momo-phone-error').waitFor();
    expect(await read(phone.page.locator('#preview-payee-momo-phone-error'))).toMatch(/^payee\.momo\.phone: /);
    await phonePreview.getByLabel('Số điện thoại MoMo').fill('0912345678');
    await phonePreview.getByRole('button', { name: 'Xem trước' }).click();
    await phone.page.locator('#preview-result').getByText('Sẽ đi qua AZConnectPay').waitFor();
    expect(await read(phone.page.locator('#preview-result'))).toContain('Thứ tự theo: thứ tự mặc định');
    await phone.page.getByRole('button', { name: /Menu/ }).click();
    await phone.page.getByRole('link', { name: 'Tài khoản nhà cung cấp' }).click();
    await phone.page.locator('tr[data-health="VNKASH"]').waitFor();
    await noHorizontalScroll(phone.page);
    await shot(phone.page, 'providers-health-phone');
    expect([...problems, ...phone.problems]).toEqual([]);
  });
});
