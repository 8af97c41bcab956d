import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, hostMatches, isPublicAddress } from '../../src/http/outbound-url.js';

describe('the outbound URL rule', () => {
  it.each([
    ['http://azconnectpay.site/api', /https/],
    ['https://user:pw@azconnectpay.site', /user name or password/],
    ['https://azconnectpay.site/api#', /fragment/],
    ['https://127.0.0.1:4000/x', /loopback/],
    ['https://localhost/x', /loopback/],
    ['https://[::1]/x', /loopback/],
    ['https://[::ffff:127.0.0.1]/x', /loopback/],
    ['https://2130706433/x', /loopback/],
    ['https://10.1.2.3/x', /not a public address/],
    ['https://169.254.169.254/latest/meta-data', /not a public address/],
    ['https://[fe80::1]/x', /not a public address/],
    ['https://100.64.0.1/x', /not a public address/],
    ['ftp://azconnectpay.site', /https/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, reason) => {
    const verdict = checkOutboundUrl(url);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });

  it('accepts a public https URL, and only allowed hosts when a list is given', () => {
    expect(checkOutboundUrl('https://azconnectpay.site/api/v2').ok).toBe(true);
    expect(checkOutboundUrl('https://8.8.8.8/x').ok).toBe(true);
    const allowedHosts = ['api.vnkash.com', '*.doithe.example'];
    expect(checkOutboundUrl('https://API.vnkash.com./v1', { allowedHosts }).ok).toBe(true);
    expect(checkOutboundUrl('https://a.b.doithe.example/v2', { allowedHosts }).ok).toBe(true);
    expect(checkOutboundUrl('https://doithe.example/v2', { allowedHosts })).toMatchObject({ ok: false, reason: /allow-list/ });
    expect(checkOutboundUrl('https://vnkash.com.evil.example/v1', { allowedHosts })).toMatchObject({ ok: false, reason: /allow-list/ });
  });

  it('lets loopback through, over http too, only when the policy says so', () => {
    expect(checkOutboundUrl('http://127.0.0.1:4100/azconnectpay', { allowLoopback: true, allowedHosts: [] }).ok).toBe(true);
    expect(checkOutboundUrl('http://10.0.0.1/x', { allowLoopback: true }).ok).toBe(false);
  });

  it('tells public addresses from the others', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    for (const address of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '172.16.0.1', '169.254.1.1', '::1', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0', 'nonsense']) {
      expect(isPublicAddress(address)).toBe(false);
    }
    expect(hostMatches('x.example.com', '*.example.com')).toBe(true);
    expect(hostMatches('example.com', '*.example.com')).toBe(false);
  });
});
