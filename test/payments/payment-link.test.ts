// A payment link paid in a real browser (Debian's chromium through
// playwright-core): the payer opens the link without any key, chooses a method
// among those routable now, lands on that order's checkout page, the sandbox
// pays, the page turns to "paid". Opening the link again leads to the same
// order; nothing is created by a GET. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';
import { orderFromDb } from '../support/orders.js';
import { announceMissingBrowser, launchChromium, runBrowserTests, SCREENSHOTS } from '../support/browser.js';

const CREATE_LINK = `mutation($input: CreatePaymentLinkInput!) {
  createPaymentLink(input: $input) { __typename ... on MutationCreatePaymentLinkSuccess { data { id url amount expiresAt orderId } } ... on ValidationError { field message } }
}`;

announceMissingBrowser('the browser test of payment links');

describe.runIf(runBrowserTests)('payment links', () => {
  let t: TestApp;
  let shop: { merchantId: string; apiKey: string };
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp();
    shop = await createMerchant(t.app, 'Tiệm bánh Hạnh');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const createLink = async (input: Record<string, unknown>) => (await gql(t.url, CREATE_LINK, { input }, shop.apiKey)).data.createPaymentLink;

  it('refuses bad input and creates nothing', async () => {
    expect(await createLink({ amount: '0' })).toMatchObject({ __typename: 'ValidationError', field: 'amount' });
    expect(await createLink({ amount: '1000', returnUrl: 'javascript:alert(1)' })).toMatchObject({ __typename: 'ValidationError', field: 'returnUrl' });
    expect(await createLink({ amount: '1000', expiresInMinutes: 0 })).toMatchObject({ __typename: 'ValidationError', field: 'expiresInMinutes' });
    expect(await t.app.db.prisma.paymentLink.count()).toBe(0);
  });

  it('is paid in the browser: the payer chooses a method, pays on the checkout page, and the link keeps leading to that one order', async () => {
    const returnUrl = `${t.url}/shop/paid`;
    const created = await createLink({ amount: '180000', description: 'Bánh kem dâu', expiresInMinutes: 30, returnUrl, cancelUrl: `${t.url}/shop/cart` });
    expect(created.__typename).toBe('MutationCreatePaymentLinkSuccess');
    const link = created.data;
    expect(link.url).toMatch(new RegExp(`^${t.url}/pay/pg_pl_`));

    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(link.url);
    // The sandbox shop can take every collecting method: the page offers them all.
    const offered = await page.$$eval('#methods button', (buttons) => buttons.map((b) => (b as HTMLButtonElement).value));
    expect(offered).toEqual(['BANK_TRANSFER', 'MOMO', 'ZALOPAY', 'BANK_QR', 'BANK_CARD', 'GATEWAY_PAGE']);
    expect((await page.textContent('#description'))?.trim()).toBe('Bánh kem dâu');
    expect(await t.app.db.prisma.order.count({ where: { merchantId: shop.merchantId } })).toBe(0);
    await page.screenshot({ path: new URL('payment-link-methods.png', SCREENSHOTS).pathname, fullPage: true });

    await Promise.all([page.waitForURL(/\/checkout\/[0-9a-f-]{36}\?token=pg_ct_/), page.click('#methods button[value="MOMO"]')]);
    await page.waitForSelector('#status[data-state="pending"]');
    const orderId = new URL(page.url()).pathname.split('/')[2]!;
    const order = await orderFromDb(t.app, orderId);
    expect(order).toMatchObject({ paymentMethod: 'MOMO', provider: 'AZCONNECTPAY', kind: 'CASH_IN', amount: 180000n, description: 'Bánh kem dâu' });
    await page.screenshot({ path: new URL('payment-link-checkout.png', SCREENSHOTS).pathname, fullPage: true });

    await page.click('#simulate');
    await page.waitForSelector('#status[data-state="paid"]');
    expect(await page.getAttribute('#back-to-shop', 'href')).toBe(returnUrl);
    await page.screenshot({ path: new URL('payment-link-paid.png', SCREENSHOTS).pathname, fullPage: true });
    expect((await orderFromDb(t.app, orderId)).status).toBe('SUCCEEDED');

    // The link now leads to its order, whatever is chosen: no second order.
    await page.goto(link.url);
    await page.waitForSelector('#status[data-state="paid"]');
    expect(new URL(page.url()).pathname).toBe(`/checkout/${orderId}`);
    const again = await fetch(link.url, { method: 'POST', body: new URLSearchParams({ method: 'BANK_TRANSFER' }), redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(new RegExp(`^/checkout/${orderId}\\?token=`));
    expect(await t.app.db.prisma.order.count({ where: { merchantId: shop.merchantId } })).toBe(1);
    expect((await t.app.db.prisma.paymentLink.findUniqueOrThrow({ where: { id: link.id } })).orderId).toBe(orderId);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens no more once expired without an order, and not at all with a wrong token', async () => {
    const { data: link } = await createLink({ amount: '90000', expiresInMinutes: 1 });
    await t.app.db.prisma.paymentLink.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await fetch(link.url)).status).toBe(404);
    expect((await fetch(`${t.url}/pay/pg_pl_${'x'.repeat(40)}`)).status).toBe(404);
    const post = await fetch(link.url, { method: 'POST', body: new URLSearchParams({ method: 'MOMO' }), redirect: 'manual' });
    expect(post.status).toBe(404);
    expect(await t.app.db.prisma.order.count({ where: { merchantId: shop.merchantId } })).toBe(1);
  });
});
