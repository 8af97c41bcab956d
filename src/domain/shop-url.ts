// Where a hosted checkout may send the payer back (a merchant's return and
// cancel URLs): a page of the shop, opened by the payer's browser. https, as
// the payer's money and the shop's session travel there; plain http only to
// the machine itself outside production, for a shop under development.
import { hasControlCharacters } from './text.js';

const MAX_LENGTH = 2048;

export type ShopUrl = { ok: true; href: string } | { ok: false; problem: string };

/** `value` as the browser will open it (normalised), or what is wrong with it. */
export function parseShopUrl(value: string, options: { allowLoopbackHttp: boolean }): ShopUrl {
  const refuse = (problem: string): ShopUrl => ({ ok: false, problem });
  // The URL parser would drop tabs and newlines silently: refuse them instead.
  if (value.length > MAX_LENGTH || hasControlCharacters(value) || /[\t\n\r]/.test(value)) return refuse(`an absolute URL of at most ${MAX_LENGTH} characters, no control characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('an absolute URL (https://…)');
  }
  if (url.username || url.password) return refuse('no user name or password in the URL');
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(url.hostname);
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && loopback && options.allowLoopbackHttp);
  if (!allowed) return refuse(options.allowLoopbackHttp ? 'https (or http to localhost while developing)' : 'https');
  return { ok: true, href: url.href };
}
