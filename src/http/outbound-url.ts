// The one rule for URLs we call on someone's say-so (a merchant's provider
// base URL today, an outgoing webhook URL tomorrow): https only, no user name
// or password, no fragment, no loopback, private, link-local or otherwise
// non-public address, and, where the operator gives one, a host allow-list.
// Loopback over plain http is allowed only where the policy says so (sandbox
// merchants calling the in-process simulators).
//
// This checks the URL as written. A host name that later resolves to a private
// address (DNS rebinding) is the caller's to refuse at connect time, with
// isPublicAddress on the resolved address.
import ipaddr from 'ipaddr.js';

export interface OutboundUrlPolicy {
  /**
   * Host patterns the URL may name: "example.com" (that host) or
   * "*.example.com" (any host below it). Undefined: any public host.
   */
  allowedHosts?: readonly string[];
  /** http or https to 127.0.0.0/8, ::1 or localhost (the sandbox). */
  allowLoopback?: boolean;
}

export type OutboundUrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** True for an address anyone on the internet could have: not loopback, private, link-local, CGNAT, multicast, reserved … */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  return ipaddr.isValid(hostname) && ipaddr.process(hostname).range() === 'loopback';
}

/** "Example.COM." and "example.com" are one host. */
function canonicalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

export function hostMatches(hostname: string, pattern: string): boolean {
  const host = canonicalHost(hostname);
  const wanted = canonicalHost(pattern);
  return wanted.startsWith('*.') ? host.endsWith(wanted.slice(1)) : host === wanted;
}

export function checkOutboundUrl(raw: string, policy: OutboundUrlPolicy = {}): OutboundUrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  // URL drops an empty fragment ("…/path#"), so look at what was written.
  if (raw.includes('#')) return { ok: false, reason: 'a URL with a fragment (#) is not accepted' };
  if (url.username || url.password) return { ok: false, reason: 'a URL with a user name or password is not accepted' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'only https URLs are accepted' };
  const host = canonicalHost(url.hostname);
  if (isLoopback(host)) {
    return policy.allowLoopback ? { ok: true, url } : { ok: false, reason: 'a loopback address is not accepted' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'only https URLs are accepted' };
  if (ipaddr.isValid(host) && !isPublicAddress(host)) {
    return { ok: false, reason: `${host} is not a public address (${ipaddr.process(host).range()})` };
  }
  if (policy.allowedHosts && !policy.allowedHosts.some((pattern) => hostMatches(host, pattern))) {
    return { ok: false, reason: `the host ${host} is not on the operator's allow-list` };
  }
  return { ok: true, url };
}
