// The payer's side of a payment link (createPaymentLink):
//   GET  /pay/<link token>[?lang=vi|en]   the methods the shop can take now, as buttons
//   POST /pay/<link token>  method=<M>     makes (or finds) the link's one order, then 303 to its checkout page
// A GET never creates anything (link previews and prefetchers open links); the
// choice is a form POST. The link token is the only access: no API key here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { paymentMethods, type PaymentMethod } from '../domain/routing.js';
import { formatDong } from '../domain/money.js';
import { chooseLanguage, type CheckoutLanguage } from './strings.js';
import { renderLinkInvalidPage } from './page.js';
import type { CheckoutDeps } from './http.js';

const LINK = /^\/pay\/(pg_pl_[A-Za-z0-9_-]{20,80})\/?$/;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

const strings: Record<CheckoutLanguage, { title: string; payTo: string; amount: string; choose: string; none: string; failed: string; methods: Record<PaymentMethod, string> }> = {
  vi: {
    title: 'Thanh toán',
    payTo: 'Thanh toán cho',
    amount: 'Số tiền',
    choose: 'Chọn cách thanh toán',
    none: 'Hiện không có cách thanh toán nào cho khoản này. Vui lòng thử lại sau.',
    failed: 'Không tạo được giao dịch bằng cách này. Vui lòng chọn cách khác hoặc thử lại sau.',
    methods: { BANK_TRANSFER: 'Chuyển khoản ngân hàng', MOMO: 'Ví MoMo', ZALOPAY: 'ZaloPay', BANK_QR: 'Quét mã QR ngân hàng', BANK_CARD: 'Thẻ ngân hàng', GATEWAY_PAGE: 'Cổng thanh toán', VNKASH: 'Ví VNKash' },
  },
  en: {
    title: 'Payment',
    payTo: 'Pay to',
    amount: 'Amount',
    choose: 'Choose how to pay',
    none: 'There is no way to pay this right now. Please try again later.',
    failed: 'This way of paying could not be started. Please choose another or try again later.',
    methods: { BANK_TRANSFER: 'Bank transfer', MOMO: 'MoMo wallet', ZALOPAY: 'ZaloPay', BANK_QR: 'Bank QR code', BANK_CARD: 'Bank card', GATEWAY_PAGE: 'Payment gateway', VNKASH: 'VNKash wallet' },
  },
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function isPaymentLinkPath(path: string) {
  return path === '/pay' || path.startsWith('/pay/');
}

export async function handlePaymentLinkRequest(req: IncomingMessage, res: ServerResponse, deps: CheckoutDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://checkout.local');
  const language = chooseLanguage(url.searchParams.get('lang'), req.headers['accept-language']);
  const match = LINK.exec(url.pathname);
  const method = req.method ?? 'GET';
  if (!match || (method !== 'GET' && method !== 'POST')) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const token = match[1]!;
  const links = deps.services.paymentLinks;
  const link = await links.open(token);
  if (!link) {
    res.writeHead(404, HEADERS).end(renderLinkInvalidPage(language, url));
    return;
  }
  if (method === 'POST' || link.orderId) {
    const chosen = method === 'POST' ? await readMethod(req) : undefined;
    if (!link.orderId && !chosen) return page(res, 400, language, url, deps, link, await links.methods(link), strings[language].failed);
    try {
      const { checkoutUrl } = await links.choose(link, chosen);
      const target = new URL(checkoutUrl);
      if (url.searchParams.get('lang')) target.searchParams.set('lang', language);
      res.writeHead(303, { location: target.pathname + target.search, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
    } catch (error) {
      // Nothing was made (no route for that method now, bad input): the payer chooses again.
      deps.logger.info({ linkId: link.id, method: chosen, err: (error as Error).message }, 'payment link: the chosen method could not start');
      return page(res, 409, language, url, deps, link, await links.methods(link), strings[language].failed);
    }
    return;
  }
  return page(res, 200, language, url, deps, link, await links.methods(link));
}

async function page(res: ServerResponse, status: number, language: CheckoutLanguage, url: URL, deps: CheckoutDeps, link: { merchantId: string; amount: bigint; description: string | null }, methods: PaymentMethod[], problem?: string) {
  const s = strings[language];
  const merchant = await deps.prisma.merchant.findUniqueOrThrow({ where: { id: link.merchantId }, select: { name: true } });
  const action = escapeHtml(url.pathname + (url.searchParams.get('lang') ? `?lang=${language}` : ''));
  const buttons = methods.map((m) => `<li><button type="submit" name="method" value="${m}" class="button" data-method="${m}">${escapeHtml(s.methods[m])}</button></li>`).join('');
  res.writeHead(status, { ...HEADERS, 'content-language': language }).end(`<!doctype html>
<html lang="${language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>${escapeHtml(s.title)} · ${escapeHtml(merchant.name)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/checkout/assets/checkout.css">
</head>
<body>
  <main class="checkout" aria-labelledby="merchant">
    <header class="top"><div><p class="pay-to">${escapeHtml(s.payTo)}</p><h1 id="merchant">${escapeHtml(merchant.name)}</h1>${link.description ? `<p id="description">${escapeHtml(link.description)}</p>` : ''}</div></header>
    <section class="summary"><p class="amount-label">${escapeHtml(s.amount)}</p><p class="amount" id="amount">${escapeHtml(formatDong(link.amount))}</p></section>
    ${problem ? `<p class="status status--failed" role="alert" id="problem">${escapeHtml(problem)}</p>` : ''}
    ${
      methods.length
        ? `<form method="post" action="${action}" id="methods"><h2>${escapeHtml(s.choose)}</h2><ul class="methods">${buttons}</ul></form>`
        : `<p class="status status--expired" role="status" id="no-methods">${escapeHtml(s.none)}</p>`
    }
  </main>
</body>
</html>
`);
}

/** The chosen method from the form body (a few bytes), or undefined. */
async function readMethod(req: IncomingMessage): Promise<PaymentMethod | undefined> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 512) return undefined;
  }
  const value = new URLSearchParams(body).get('method');
  return (paymentMethods as readonly string[]).includes(value ?? '') ? (value as PaymentMethod) : undefined;
}
