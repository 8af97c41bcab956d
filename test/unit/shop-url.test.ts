import { describe, expect, it } from 'vitest';
import { parseShopUrl } from '../../src/domain/shop-url.js';

const development = { allowLoopbackHttp: true };
const production = { allowLoopbackHttp: false };

describe('a shop URL (return and cancel pages of a checkout)', () => {
  it('is https, normalised as a browser opens it', () => {
    expect(parseShopUrl('https://Shop.example.vn/don-hang/HD-1001?paid=1', production)).toEqual({ ok: true, href: 'https://shop.example.vn/don-hang/HD-1001?paid=1' });
    expect(parseShopUrl('https://shop.example.vn/tìm kiếm', production)).toEqual({ ok: true, href: 'https://shop.example.vn/t%C3%ACm%20ki%E1%BA%BFm' });
  });

  it('may be http to this machine while developing, never in production', () => {
    for (const url of ['http://localhost:3000/return', 'http://127.0.0.1:3000/return', 'http://[::1]:3000/return']) {
      expect(parseShopUrl(url, development).ok).toBe(true);
      expect(parseShopUrl(url, production)).toEqual({ ok: false, problem: 'https' });
    }
    expect(parseShopUrl('http://shop.example.vn/return', development)).toEqual({ ok: false, problem: 'https (or http to localhost while developing)' });
    expect(parseShopUrl('http://localhost.evil.example/return', development).ok).toBe(false);
  });

  it('refuses what is not a page to send a payer to', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', '/relative/path', 'shop.example.vn', 'ftp://shop.example.vn/', 'https://user:pass@shop.example.vn/', 'https://shop.example.vn/a\nb', `https://shop.example.vn/${'a'.repeat(2048)}`]) {
      expect(parseShopUrl(url, development).ok, url).toBe(false);
    }
  });
});
