// The hosted checkout in a real browser (Debian's chromium through
// playwright-core): a payer sees the payment details, the sandbox pays, and the
// page turns to "paid" by itself over graphql-ws. Screenshots land in
// test-results/ for a human to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, orderFromDb, sandboxControl, waitForStatus } from '../support/orders.js';
import { announceMissingBrowser, launchChromium, recordPageProblems, runBrowserTests, SCREENSHOTS } from '../support/browser.js';

const CREATE_TOKEN = `mutation($orderId: ID!, $returnUrl: String, $cancelUrl: String) {
  createClientToken(orderId: $orderId, returnUrl: $returnUrl, cancelUrl: $cancelUrl) { __typename ... on MutationCreateClientTokenSuccess { data { id token checkoutUrl } } ... on Error { message } }
}`;

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};

const normalize = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

announceMissingBrowser('the browser test of the checkout');

describe.runIf(runBrowserTests)('the checkout page', () => {
  let t: TestApp;
  let shop: { merchantId: string; apiKey: string };
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp();
    shop = await createMerchant(t.app, 'Cửa hàng Hoa Sen');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });

  async function checkoutFor(input: Record<string, unknown>, links: { returnUrl?: string; cancelUrl?: string } = {}) {
    const order = (await createCashIn(t.url, shop.apiKey, input)).data;
    const response = await gql(t.url, CREATE_TOKEN, { orderId: order.id, ...links }, shop.apiKey);
    expect(response.data.createClientToken.__typename).toBe('MutationCreateClientTokenSuccess');
    return { order, ...(response.data.createClientToken.data as { id: string; token: string; checkoutUrl: string }) };
  }

  /** A page that fails the test on any script error or CSP violation. */
  async function openPage(context: BrowserContext) {
    contexts.push(context);
    const page = await context.newPage();
    return { page, problems: recordPageProblems(page) };
  }

  const statusOf = async (page: Page) => ({ state: await page.getAttribute('#status', 'data-state'), text: normalize(await page.textContent('#status')) });

  /** The status badge's disc, its glyph, and the box around it, as the browser paints them. */
  const badgeOf = (page: Page) =>
    page.evaluate(() => {
      const box = document.getElementById('status')!;
      const badge = getComputedStyle(box, '::before');
      return { disc: badge.backgroundColor, glyph: badge.color, box: getComputedStyle(box).backgroundColor, content: badge.content };
    });

  /** A badge the eye can see: a disc unlike its box, a glyph unlike its disc. */
  async function expectVisibleBadge(page: Page, glyph: string) {
    const badge = await badgeOf(page);
    expect(badge.content).toBe(`"${glyph}"`);
    expect(badge.disc).not.toBe(badge.box);
    expect(badge.glyph).not.toBe(badge.disc);
    expect(badge.glyph).toBe(badge.box);
  }

  it('shows a bank transfer, and turns to paid without a reload when the sandbox pays', async () => {
    const shopPages = { returnUrl: `${t.url}/healthz?back=HD-1001`, cancelUrl: `${t.url}/healthz?cancelled=HD-1001` };
    const { order, checkoutUrl } = await checkoutFor({ amount: '150000', idempotencyKey: 'browser-bank', merchantReference: 'HD-1001', description: 'Áo dài lụa, size M' }, shopPages);
    const { page, problems } = await openPage(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' }));
    const response = await page.goto(checkoutUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('#status[data-state="pending"]');

    // English, from Accept-Language.
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect((await statusOf(page)).text).toBe('Waiting for your payment…');
    expect(normalize(await page.textContent('#merchant'))).toMatch(/^Cửa hàng Hoa Sen/);
    // What is being paid for, and a reference the payer can quote (the shop's own, not our UUID).
    expect(normalize(await page.textContent('#description'))).toBe('For Áo dài lụa, size M');
    expect(normalize(await page.textContent('#order-ref'))).toBe('HD-1001');
    expect(normalize(await page.content())).not.toContain(`<code id="order-ref">${order.id}`);
    expect(normalize(await page.textContent('#amount'))).toBe('150.000 ₫');
    const details = normalize(await page.textContent('#details'));
    const i = order.instructions;
    for (const value of [i.accountNumber, i.accountName, i.transferContent, 'Bank', 'Account number', 'Transfer content']) expect(details).toContain(value);
    const bankName = (await orderFromDb(t.app, order.id)).instructions as { bankName?: string };
    if (bankName.bankName) expect(details).toContain(bankName.bankName);
    expect(await page.locator('#details button.copy').count()).toBe(3); // account number, amount, content
    expect(await page.getAttribute('#details button.copy >> nth=2', 'aria-label')).toBe('Copy Transfer content');
    // The sandbox's qr_img is a 1×1 placeholder, not a scannable code: the page draws one from the QR data.
    await page.waitForSelector('#qr:not([hidden])');
    expect(await page.getAttribute('#qr-image', 'src')).toMatch(new RegExp(`^/checkout/${order.id}/qr\\.svg\\?token=pg_ct_`));
    expect(await page.evaluate(() => (document.getElementById('qr-image') as HTMLImageElement).naturalWidth)).toBeGreaterThanOrEqual(200);
    expect(await page.isVisible('#qr-fallback')).toBe(false);
    expect(await page.isVisible('#countdown')).toBe(true);
    expect(normalize(await page.textContent('#countdown-value'))).toMatch(/^(29|30):\d\d$/);
    expect(await page.isVisible('#momo-link')).toBe(false); // a bank transfer, on a desktop
    expect(await page.isVisible('#bank-apps')).toBe(false); // banking-app links are for phones
    expect(await page.isVisible('#simulate')).toBe(true);
    // While open: a way back without paying, not yet "back to the shop".
    expect(await page.getAttribute('#cancel-link', 'href')).toBe(shopPages.cancelUrl);
    expect(await page.isVisible('#cancel-link')).toBe(true);
    expect(await page.isVisible('#back-to-shop')).toBe(false);
    // The QR as an image to save: a PNG a banking app's "scan from photo" reads, named after the reference.
    expect(await page.isVisible('#qr-save')).toBe(true);
    const saveHref = (await page.getAttribute('#qr-save', 'href'))!;
    expect(saveHref).toBe(`/checkout/${order.id}/qr.png?token=${encodeURIComponent(new URL(checkoutUrl).searchParams.get('token')!)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#qr-save')]);
    expect(download.suggestedFilename()).toBe('HD-1001-qr.png');
    const png = await readFile((await download.path())!);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual((21 + 8) * 12); // IHDR width: at least 21 modules and the quiet zone, 12 px each
    await page.screenshot({ path: new URL('checkout-desktop.png', SCREENSHOTS).pathname, fullPage: true });

    // Copy puts the raw value on the clipboard and says so to screen readers.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await page.click('#details button.copy >> nth=2');
    await page.waitForFunction(() => document.getElementById('announce')!.textContent!.length > 0);
    expect(normalize(await page.textContent('#announce'))).toBe('Transfer content copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(i.transferContent);

    // A reload would lose this marker.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.click('#simulate');
    await page.waitForSelector('#status[data-state="paid"]');
    expect((await statusOf(page)).text).toBe('Paid. Thank you!');
    await expectVisibleBadge(page, '✓');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await page.isVisible('#pay')).toBe(false);
    expect(await page.isVisible('#simulate')).toBe(false);
    expect(await page.isVisible('#cancel-link')).toBe(false);
    expect(normalize(await page.textContent('#back-to-shop'))).toBe('Back to the shop');
    expect(await page.getAttribute('#back-to-shop', 'href')).toBe(shopPages.returnUrl);
    await page.screenshot({ path: new URL('checkout-desktop-paid.png', SCREENSHOTS).pathname, fullPage: true });

    await t.app.sandbox!.idle();
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events.map((e) => [e.toStatus, e.cause])).toEqual([
      ['PENDING', 'API'],
      ['SUCCEEDED', 'CALLBACK'],
    ]);
    // Back to the shop, where the shop reads the order's status itself.
    await Promise.all([page.waitForURL(shopPages.returnUrl), page.click('#back-to-shop')]);
    expect(problems).toEqual([]);
  });

  it('fits a phone, in Vietnamese, with the MoMo button, and shows an amount mismatch live', async () => {
    const { order, checkoutUrl } = await checkoutFor({ amount: '150000', idempotencyKey: 'browser-momo', method: 'MOMO' });
    const { page, problems } = await openPage(await browser.newContext({ ...PHONE, locale: 'vi-VN' }));
    await page.goto(checkoutUrl);
    await page.waitForSelector('#status[data-state="pending"]');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect((await statusOf(page)).text).toBe('Đang chờ bạn thanh toán…');
    expect(normalize(await page.textContent('#amount'))).toBe('150.000 ₫');
    const momo = page.locator('#momo-link');
    expect(await momo.isVisible()).toBe(true);
    expect(normalize(await momo.textContent())).toBe('Mở ứng dụng MoMo');
    expect(await momo.getAttribute('href')).toBe(order.instructions.deepLink);
    expect(normalize(await page.textContent('#details'))).toContain(order.instructions.transferContent);
    // No merchantReference: our requestId, 20 characters instead of a 36-character UUID.
    expect(normalize(await page.textContent('#order-ref'))).toBe(order.requestId);
    expect(order.requestId.length).toBeLessThan(order.id.length);
    // The QR to save, and how to use it from this phone; no banking-app links for a MoMo wallet.
    await page.waitForSelector('#qr-save:not([hidden])');
    expect(normalize(await page.textContent('#qr-save'))).toBe('Lưu ảnh mã QR');
    expect(normalize(await page.textContent('#qr-save-hint'))).toContain('mở ứng dụng MoMo');
    expect(await page.isVisible('#bank-apps')).toBe(false);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: new URL('checkout-phone.png', SCREENSHOTS).pathname, fullPage: true });

    // The payer sends less than asked: the order needs review, and the page says so by itself.
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', amount: 100000, callback: 'once' });
    await page.waitForSelector('#status[data-state="review"]');
    expect((await statusOf(page)).text).toBe('Số tiền không khớp: đã nhận 100.000 ₫, cần 150.000 ₫. Người bán sẽ liên hệ với bạn.');
    await expectVisibleBadge(page, '!');
    expect(await page.isVisible('#back-to-shop')).toBe(false); // this token was given no shop pages
    await page.screenshot({ path: new URL('checkout-phone-mismatch.png', SCREENSHOTS).pathname, fullPage: true });
    expect(await waitForStatus(t.app, order.id, ['NEEDS_REVIEW'])).toBe('NEEDS_REVIEW');
    expect(problems).toEqual([]);
  });

  it('on a phone, offers a bank transfer as a QR image to save and as banking apps that fill it in; a failure leads back through the cancel page', async () => {
    const cancelUrl = `${t.url}/healthz?cancelled=phone`;
    const { order, checkoutUrl } = await checkoutFor({ amount: '175000', idempotencyKey: 'browser-phone-bank', description: 'Combo trà sữa' }, { cancelUrl });
    const { page, problems } = await openPage(await browser.newContext({ ...PHONE, locale: 'vi-VN' }));
    await page.goto(checkoutUrl);
    await page.waitForSelector('#status[data-state="pending"]');
    expect(normalize(await page.textContent('#description'))).toBe('Đơn hàng Combo trà sữa');
    await page.waitForSelector('#qr-save:not([hidden])');
    expect(await page.isVisible('#qr-save-hint')).toBe(true);
    // VietQR.io's deep links, for the apps it fills in, from the order's own VietQR payload.
    const i = order.instructions;
    const links = await page.$$eval('#bank-app-list a', (anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links.map(([name]) => name)).toEqual(['ACB ONE', 'BIDV SmartBanking', 'MB Bank', 'OCB OMNI', 'VietinBank iPay']);
    const bankCode = { ACB: 'acb', VCB: 'vcb', MBB: 'mb' }[i.bankCode as string];
    for (const [, href] of links) {
      expect(href).toMatch(new RegExp(`^https://dl\\.vietqr\\.io/pay\\?app=\\w+&ba=${i.accountNumber}@${bankCode}&am=175000&tn=`));
      expect(new URL(href!).searchParams.get('tn')).toBe(i.transferContent);
    }
    expect(await page.isVisible('#bank-apps')).toBe(true);
    expect(await page.isVisible('#cancel-link')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: new URL('checkout-phone-bank.png', SCREENSHOTS).pathname, fullPage: true });

    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'fail', callback: 'once' });
    await page.waitForSelector('#status[data-state="failed"]');
    await expectVisibleBadge(page, '✕');
    // No return page was given: the cancel page is the way back.
    expect(normalize(await page.textContent('#back-to-shop'))).toBe('Quay lại cửa hàng');
    expect(await page.getAttribute('#back-to-shop', 'href')).toBe(cancelUrl);
    await page.screenshot({ path: new URL('checkout-phone-failed.png', SCREENSHOTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a scannable QR image, follows failure and revocation live, and refuses a wrong link', async () => {
    const { order, checkoutUrl, id: tokenId } = await checkoutFor({ amount: '200000', idempotencyKey: 'browser-fail' });
    // A provider image of QR size (the sandbox's own is a 1×1 placeholder).
    const qrImage = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="29" height="29"><rect width="29" height="29" fill="#fff"/><rect width="7" height="7"/><rect x="22" width="7" height="7"/><rect y="22" width="7" height="7"/></svg>')}`;
    const stored = (await orderFromDb(t.app, order.id)).instructions as Record<string, string>;
    await t.app.db.prisma.order.update({ where: { id: order.id }, data: { instructions: { ...stored, qrImage } } });
    const { page, problems } = await openPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    await page.goto(`${checkoutUrl}&lang=en`);
    await page.waitForSelector('#status[data-state="pending"]');
    await page.waitForSelector('#qr:not([hidden])');
    expect(await page.getAttribute('#qr-image', 'src')).toBe(qrImage);
    expect(normalize(await page.textContent('#qr-caption'))).toBe('Scan the QR code with your banking app');
    expect(await page.isVisible('#qr-fallback')).toBe(false);
    // The bank by name and code (one of them when the sandbox's account has both the same, as ACB).
    expect(normalize(await page.textContent('#details'))).toContain(stored.bankName === stored.bankCode ? `Bank${stored.bankName}Account` : `${stored.bankName} (${stored.bankCode})`);
    await page.screenshot({ path: new URL('checkout-desktop-qr.png', SCREENSHOTS).pathname, fullPage: true });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'fail', callback: 'once' });
    await page.waitForSelector('#status[data-state="failed"]');
    expect((await statusOf(page)).text).toBe('The payment failed.');

    const open = await checkoutFor({ amount: '210000', idempotencyKey: 'browser-revoke' });
    await page.goto(`${open.checkoutUrl}&lang=en`);
    await page.waitForSelector('#status[data-state="pending"]');
    await gql(t.url, `mutation($id: ID!) { revokeClientToken(id: $id) { __typename } }`, { id: open.id }, shop.apiKey);
    await page.waitForSelector('#status[data-state="expired"]');
    expect((await statusOf(page)).text).toBe('This payment link is invalid, has expired or was revoked.');
    await expectVisibleBadge(page, '–');
    expect(await page.isVisible('#pay')).toBe(false);

    const wrong = await page.goto(`${t.url}/checkout/${order.id}?token=pg_ct_${'x'.repeat(40)}&lang=en`);
    expect(wrong?.status()).toBe(403);
    expect(normalize(await page.textContent('[role=status]'))).toBe('This payment link is invalid, has expired or was revoked.');
    expect(normalize(await page.content())).not.toContain(order.instructions.accountNumber);
    expect(tokenId).toBeTruthy();
    expect(problems).toEqual([`403 /checkout/${order.id}`]);
  });

  it('opens a demo checkout from /checkout/demo in sandbox mode', async () => {
    const { page, problems } = await openPage(await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' }));
    await page.goto(`${t.url}/checkout/demo`);
    expect(page.url()).toMatch(new RegExp(`^${t.url}/checkout/[0-9a-f-]{36}\\?token=pg_ct_[0-9A-Za-z]{40}$`));
    await page.waitForSelector('#status[data-state="pending"]');
    expect(normalize(await page.textContent('#amount'))).toBe('150.000 ₫');
    await page.click('#simulate');
    await page.waitForSelector('#status[data-state="paid"]');
    expect(problems).toEqual([]);
  });
});

describe('the simulate-payment route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  const simulate = (orderId: string, authorization?: string, body = '{"outcome":"succeed"}') =>
    fetch(`${t.url}/checkout/${orderId}/simulate-payment`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });

  it('needs the client token of that very order, and never an API key', async () => {
    const shop = await createMerchant(t.app, 'Route shop');
    const first = (await createCashIn(t.url, shop.apiKey, { amount: '150000', idempotencyKey: 'route-1' })).data;
    const second = (await createCashIn(t.url, shop.apiKey, { amount: '150000', idempotencyKey: 'route-2' })).data;
    const { token } = await t.app.services.clientTokens.create(shop.merchantId, second.id);
    expect((await simulate(first.id)).status).toBe(401);
    expect((await simulate(first.id, `Bearer ${shop.apiKey}`)).status).toBe(401);
    expect((await simulate(first.id, `Bearer ${token}`)).status).toBe(403);
    // The drawn QR code too: only with the token of that order.
    expect((await fetch(`${t.url}/checkout/${first.id}/qr.svg?token=${token}`)).status).toBe(403);
    expect((await fetch(`${t.url}/checkout/${first.id}/qr.png?token=${token}`)).status).toBe(403);
    const qr = await fetch(`${t.url}/checkout/${second.id}/qr.svg?token=${token}`);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toMatch(/^<svg[^>]*width="264"/);
    expect((await simulate(second.id, `Bearer ${token}`, '{"outcome":"refund"}')).status).toBe(400);
    expect((await orderFromDb(t.app, first.id)).status).toBe('PENDING');
    expect((await simulate(second.id, `Bearer ${token}`, '{"outcome":"fail"}')).status).toBe(202);
    expect(await waitForStatus(t.app, second.id, ['FAILED'])).toBe('FAILED');
    // Once settled, there is nothing left to pay.
    expect((await simulate(second.id, `Bearer ${token}`)).status).toBe(409);
  });

  it('is refused for a merchant that is not in the sandbox', async () => {
    const live = await createMerchant(t.app, 'Live shop', false);
    const order = await t.app.db.prisma.order.create({
      data: { merchantId: live.merchantId, provider: 'AZCONNECTPAY', kind: 'CASH_IN', amount: 150_000n, requestId: `live-${Date.now()}`, status: 'PENDING', submitted: true },
    });
    const { token } = await t.app.services.clientTokens.create(live.merchantId, order.id);
    const response = await simulate(order.id, `Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'payments can be simulated for sandbox merchants only' });
    expect((await orderFromDb(t.app, order.id)).status).toBe('PENDING');
    // Its page has no simulate button either.
    const page = await (await fetch(`${t.url}/checkout/${order.id}?token=${token}`)).text();
    expect(page).toContain('"sandbox":false');
  });
});
