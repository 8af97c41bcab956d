// Renders the checkout page's HTML: the template in assets/, the labels of one
// language, and the script's configuration. Every value is escaped here; the
// script only ever sets textContent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { checkoutLanguages, checkoutStrings, type CheckoutLanguage, type CheckoutStrings } from './strings.js';
import type { BankAppLink } from './vietqr.js';

const assetsDir = path.join(PROJECT_ROOT, 'src/checkout/assets');

/** The files the page loads, read once: a few kilobytes, served from memory. */
export const checkoutAssets: ReadonlyMap<string, { type: string; body: string }> = new Map(
  [
    ['checkout.js', 'text/javascript; charset=utf-8'],
    ['graphql-ws.js', 'text/javascript; charset=utf-8'],
    ['checkout.css', 'text/css; charset=utf-8'],
  ].map(([name, type]) => [name!, { type: type!, body: readFileSync(path.join(assetsDir, name!), 'utf8') }]),
);

const template = readFileSync(path.join(assetsDir, 'checkout.html'), 'utf8');

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside <script type="application/json">: "<" escaped so no "</script>" can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const languageNames: Record<CheckoutLanguage, string> = { vi: 'Tiếng Việt', en: 'English' };

/** The same URL in each language (the token stays in the query). */
function languageLinks(current: CheckoutLanguage, url: URL) {
  return checkoutLanguages
    .map((language) => {
      const target = new URL(url);
      target.searchParams.set('lang', language);
      const here = language === current ? ' aria-current="true"' : '';
      return `<a href="${escapeHtml(target.pathname + target.search)}" lang="${language}" hreflang="${language}"${here}>${languageNames[language]}</a>`;
    })
    .join('');
}

export interface CheckoutPageInput {
  language: CheckoutLanguage;
  /** The page's own URL (path and query), for the language links. */
  url: URL;
  orderId: string;
  token: string;
  merchantName: string;
  /** Show the "simulate payment" button (sandbox merchant, simulators running). */
  sandbox: boolean;
  /** What is being paid for (the order's description). */
  description: string | null;
  /** What the payer can quote to the shop, shorter than our UUID. */
  reference: string;
  /** The merchant's pages for "back to the shop" (validated when the token was made). */
  returnUrl: string | null;
  cancelUrl: string | null;
  /** Banking-app links for a payer on the phone that holds the app (vietqr.ts). */
  bankApps: BankAppLink[];
}

export function renderCheckoutPage(input: CheckoutPageInput): string {
  const strings = checkoutStrings[input.language];
  const config = {
    orderId: input.orderId,
    token: input.token,
    language: input.language,
    sandbox: input.sandbox,
    returnUrl: input.returnUrl,
    cancelUrl: input.cancelUrl,
    bankApps: input.bankApps,
    strings,
  };
  return fillTemplate(template, strings, {
    lang: input.language,
    merchantName: escapeHtml(input.merchantName),
    reference: escapeHtml(input.reference),
    description: input.description
      ? `<p class="for" id="description"><span class="for-label">${escapeHtml(strings.paymentFor)}</span> ${escapeHtml(input.description)}</p>`
      : '',
    languageLinks: languageLinks(input.language, input.url),
    config: scriptJson(config),
  });
}

/** The page a payer sees when the link cannot be used: no order details, just what happened. */
export function renderLinkInvalidPage(language: CheckoutLanguage, url: URL): string {
  const s = checkoutStrings[language];
  return `<!doctype html>
<html lang="${language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>${escapeHtml(s.title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/checkout/assets/checkout.css">
</head>
<body>
  <main class="checkout" aria-labelledby="heading">
    <header class="top">
      <h1 id="heading">${escapeHtml(s.title)}</h1>
      <nav class="languages" aria-label="${escapeHtml(s.language)}">${languageLinks(language, url)}</nav>
    </header>
    <p class="status status--expired" role="status">${escapeHtml(s.linkInvalid)}</p>
  </main>
</body>
</html>
`;
}

function fillTemplate(html: string, strings: CheckoutStrings, values: Record<string, string>) {
  return html.replace(/\{\{(s\.)?(\w+)\}\}/g, (whole, isString: string | undefined, name: string) => {
    if (isString) {
      const text = strings[name as keyof CheckoutStrings];
      if (text === undefined) throw new Error(`checkout template: no string ${name}`);
      return escapeHtml(text);
    }
    const value = values[name];
    if (value === undefined) throw new Error(`checkout template: no value for ${whole}`);
    return value;
  });
}
