// The hosted checkout: what a payer opens from a merchant's link.
//   GET  /checkout/<order id>?token=<client token>[&lang=vi|en]  the page
//   GET  /checkout/assets/<file>                                  its script and styles
//   GET  /checkout/<order id>/qr.svg?token=<client token>         the order's QR data drawn as a scannable code
//   GET  /checkout/<order id>/qr.png?token=<client token>         the same as an image to save (a payer on the phone
//                                                                 that holds the banking app scans it from the photos)
//   POST /checkout/<order id>/simulate-payment                    sandbox only: pay it through the simulator
//   GET  /checkout/demo[?method=momo]                             sandbox only: a fresh cash-in, then its page
// The page reads and follows the order through GraphQL with the client token;
// these routes only serve it, and never accept an API key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { RunningSandbox } from '../sandbox/server.js';
import { CLIENT_TOKEN_PREFIX } from '../services/client-tokens.js';
import { chooseLanguage } from './strings.js';
import { checkoutAssets, renderCheckoutPage, renderLinkInvalidPage } from './page.js';
import { SimulationRefusedError, simulatePayment, type SimulatedOutcome } from './simulate-payment.js';
import { bankAppLinks } from './vietqr.js';
import { uuidPattern } from '../domain/ids.js';

export interface CheckoutDeps {
  services: Services;
  prisma: PrismaClient;
  config: Config;
  logger: Logger;
  sandbox: RunningSandbox | undefined;
}

const UUID = uuidPattern;
const PAGE = new RegExp(`^/checkout/(${UUID})/?$`, 'i');
const SIMULATE = new RegExp(`^/checkout/(${UUID})/simulate-payment$`, 'i');
const QR = new RegExp(`^/checkout/(${UUID})/qr\\.(svg|png)$`, 'i');

/**
 * The page holds a bearer token in its URL: never cached, never sent on as a
 * Referer, never framed; scripts and styles from this origin only.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export async function handleCheckoutRequest(req: IncomingMessage, res: ServerResponse, deps: CheckoutDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://checkout.local');
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path.startsWith('/checkout/assets/')) {
    const asset = checkoutAssets.get(path.slice('/checkout/assets/'.length));
    if (!asset || (method !== 'GET' && method !== 'HEAD')) return notFound(res);
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).end(method === 'HEAD' ? undefined : asset.body);
    return;
  }
  if (path === '/checkout/demo' && method === 'GET') return demo(req, res, url, deps);

  const simulate = SIMULATE.exec(path);
  if (simulate && method === 'POST') return simulateRoute(req, res, simulate[1]!.toLowerCase(), deps);

  const qr = QR.exec(path);
  if (qr && method === 'GET') return qrRoute(res, url, qr[1]!.toLowerCase(), qr[2]!.toLowerCase() as 'svg' | 'png', deps);

  const page = PAGE.exec(path);
  if (page && (method === 'GET' || method === 'HEAD')) return pageRoute(req, res, url, page[1]!.toLowerCase(), deps);

  notFound(res);
}

async function pageRoute(req: IncomingMessage, res: ServerResponse, url: URL, orderId: string, deps: CheckoutDeps) {
  const language = chooseLanguage(url.searchParams.get('lang'), req.headers['accept-language']);
  const token = url.searchParams.get('token') ?? '';
  const access = token ? await deps.services.clientTokens.authenticate(token) : null;
  if (!access || access.orderId !== orderId) {
    res.writeHead(403, PAGE_HEADERS).end(renderLinkInvalidPage(language, url));
    return;
  }
  const [merchant, order, links] = await Promise.all([
    deps.prisma.merchant.findUniqueOrThrow({ where: { id: access.merchantId }, select: { name: true, sandbox: true } }),
    deps.prisma.order.findFirstOrThrow({ where: { id: orderId, merchantId: access.merchantId }, select: { description: true, merchantReference: true, requestId: true, instructions: true } }),
    deps.prisma.clientToken.findUniqueOrThrow({ where: { id: access.tokenId }, select: { returnUrl: true, cancelUrl: true } }),
  ]);
  const html = renderCheckoutPage({
    language,
    url,
    orderId,
    token,
    merchantName: merchant.name,
    sandbox: merchant.sandbox && deps.sandbox !== undefined,
    description: order.description,
    // What the payer can quote: the shop's own order number, else ours (20 characters, searchable as `reference`).
    reference: order.merchantReference ?? order.requestId,
    returnUrl: links.returnUrl,
    cancelUrl: links.cancelUrl,
    bankApps: bankAppLinks(qrDataOf(order.instructions)),
  });
  res.writeHead(200, { ...PAGE_HEADERS, 'content-language': language }).end(req.method === 'HEAD' ? undefined : html);
}

/**
 * Providers give QR data (VietQR/EMVCo, MoMo) but not always a usable image:
 * draw it here, for the order's own client token only.
 */
async function qrRoute(res: ServerResponse, url: URL, orderId: string, format: 'svg' | 'png', deps: CheckoutDeps) {
  const token = url.searchParams.get('token') ?? '';
  const access = token ? await deps.services.clientTokens.authenticate(token) : null;
  if (!access || access.orderId !== orderId) return json(res, 403, { error: 'a valid client token for this order is required' });
  const order = await deps.prisma.order.findFirst({ where: { id: orderId, merchantId: access.merchantId }, select: { instructions: true, merchantReference: true, requestId: true } });
  const qrData = qrDataOf(order?.instructions);
  if (!order || !qrData) return notFound(res);
  const headers = { 'cache-control': 'private, max-age=300', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  const QRCode = await loadQRCode();
  if (format === 'svg') {
    const svg = await QRCode.toString(qrData, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 264 });
    res.writeHead(200, { ...headers, 'content-type': 'image/svg+xml' }).end(svg);
    return;
  }
  // A photo a banking app's "scan from image" reads: raster (phones' galleries take no SVG), the full quiet zone.
  const png = await QRCode.toBuffer(qrData, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 12 });
  const name = `${(order.merchantReference ?? order.requestId).replace(/[^\w.-]+/g, '-')}-qr.png`;
  res.writeHead(200, { ...headers, 'content-type': 'image/png', 'content-disposition': `attachment; filename="${name}"` }).end(png);
}

function qrDataOf(instructions: unknown): string | null {
  const qrData = (instructions as { qrData?: unknown } | null | undefined)?.qrData;
  return typeof qrData === 'string' && qrData ? qrData : null;
}

async function simulateRoute(req: IncomingMessage, res: ServerResponse, orderId: string, deps: CheckoutDeps) {
  const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1];
  // Client tokens only: this route is the page's, and an API key has GraphQL and the sandbox's own routes.
  const access = presented?.startsWith(CLIENT_TOKEN_PREFIX) ? await deps.services.clientTokens.authenticate(presented) : null;
  if (!access) return json(res, 401, { error: 'send "Authorization: Bearer <client token>" with a valid, unrevoked client token' });
  if (access.orderId !== orderId) return json(res, 403, { error: 'this client token is for another order' });
  const body = await readSmallJson(req);
  if (body === undefined) return json(res, 400, { error: 'expected a JSON body such as {"outcome":"succeed"}' });
  const outcome = (body as { outcome?: unknown } | null)?.outcome ?? 'succeed';
  if (outcome !== 'succeed' && outcome !== 'fail') return json(res, 400, { error: 'outcome: "succeed" or "fail"' });

  const merchant = await deps.prisma.merchant.findUniqueOrThrow({ where: { id: access.merchantId }, select: { name: true, sandbox: true } });
  if (!merchant.sandbox || !deps.sandbox) return json(res, 403, { error: 'payments can be simulated for sandbox merchants only' });
  const order = await deps.prisma.order.findFirst({
    where: { id: orderId, merchantId: access.merchantId },
    select: { status: true, provider: true, kind: true, requestId: true, providerReference: true, gateway: true },
  });
  if (!order) return json(res, 404, { error: 'no such order' });
  if (order.status !== 'PENDING' && order.status !== 'PROCESSING') return json(res, 409, { error: `the order is ${order.status}, not waiting for a payment` });
  try {
    await simulatePayment(deps.sandbox, order, outcome as SimulatedOutcome);
  } catch (error) {
    if (error instanceof SimulationRefusedError) return json(res, error.httpStatus, { error: error.message });
    throw error;
  }
  deps.logger.info({ orderId, outcome }, 'checkout: payment simulated in the sandbox');
  // The status changes when the simulator's callback arrives: the page hears it on its subscription.
  json(res, 202, { ok: true });
}

async function demo(req: IncomingMessage, res: ServerResponse, url: URL, deps: CheckoutDeps) {
  if (!deps.config.SANDBOX || !deps.sandbox) return notFound(res);
  const merchantId = await demoMerchant(deps);
  const method = url.searchParams.get('method') === 'momo' ? 'momo' : 'bank';
  const { orderId } = await deps.services.orders.create({
    merchantId,
    actor: 'checkout:demo',
    idempotencyKey: `checkout-demo-${randomUUID()}`,
    provider: 'AZCONNECTPAY',
    kind: 'CASH_IN',
    amount: 150_000n,
    method,
    description: 'Checkout demo',
    merchantReference: `DEMO-${Date.now().toString(36).toUpperCase()}`,
  });
  const { token } = await deps.services.clientTokens.create(merchantId, orderId);
  const target = new URLSearchParams({ token });
  const language = url.searchParams.get('lang');
  if (language === 'vi' || language === 'en') target.set('lang', language);
  res.writeHead(303, { location: `/checkout/${orderId}?${target}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
}

/** The oldest sandbox merchant, or a dedicated one made on first use (a fresh sandbox database has none). */
async function demoMerchant(deps: CheckoutDeps): Promise<string> {
  const existing = await deps.prisma.merchant.findFirst({ where: { sandbox: true }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  if (existing) return existing.id;
  const { merchant } = await deps.services.merchants.create({ name: 'Checkout demo', sandbox: true });
  deps.logger.info({ merchantId: merchant.id }, 'checkout: created a sandbox merchant for the demo');
  return merchant.id;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
}

/** At most 1 KiB of JSON; an empty body is null; anything else unreadable is undefined. */
async function readSmallJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024) return undefined;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The QR code library, loaded at the first QR drawn: a server that never shows a checkout does not hold it. */
function loadQRCode() {
  return import('qrcode').then((module) => module.default);
}
