// Where a webhook may go: https to a public address; http only to loopback,
// and loopback only in development and the sandbox. Checked when an endpoint
// is saved (for a clear error) and again at every send, on the very address
// the socket connects to: the HTTP request resolves names through
// `guardedLookup`, so a name that resolves to a private address later (DNS
// rebinding) is refused at connect time.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../schema/errors.js';

export interface AddressPolicy {
  /** Loopback addresses allowed (development, sandbox). */
  allowLoopback: boolean;
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

/** ipaddr.js' name for the range an address is in ("unicast" for a public one). */
export function addressRange(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range();
}

/** Why an address may not receive webhooks, or null when it may. */
export function refusalOf(address: string, policy: AddressPolicy): string | null {
  if (!net.isIP(address)) return `${address} is not an IP address`;
  const range = addressRange(address);
  if (range === 'unicast') return null;
  if (range === 'loopback' && policy.allowLoopback) return null;
  return `${address} is a ${range} address`;
}

const isLoopbackName = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost');
const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** A URL the merchant may register, or a ValidationError saying why not (resolves the name once). */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy): Promise<string> {
  const refuse = (message: string): never => {
    throw new ValidationError(message, 'url');
  };
  if (raw.length > 2048) refuse('url: at most 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('url: not a valid URL');
  }
  if (url.username || url.password) refuse('url: credentials in the URL are not allowed (the signature authenticates us)');
  if (url.hash) refuse('url: no #fragment');
  const host = bareHost(url.hostname);
  const loopbackHost = isLoopbackName(host) || (net.isIP(host) !== 0 && addressRange(host) === 'loopback');
  if (url.protocol === 'http:') {
    if (!loopbackHost || !policy.allowLoopback) refuse('url: https only (http is allowed for loopback addresses in development and the sandbox)');
  } else if (url.protocol !== 'https:') {
    refuse('url: https only');
  }
  if (net.isIP(host)) {
    const refusal = refusalOf(host, policy);
    if (refusal) refuse(`url: ${refusal}; webhooks go to public addresses only`);
  } else if (isLoopbackName(host) && !policy.allowLoopback) {
    refuse('url: loopback addresses are not allowed');
  } else {
    // A name that resolves to a private address now is refused now; one that does
    // not resolve yet is kept (it may be set up later) and checked at every send.
    const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
    const refused = addresses.map((entry) => refusalOf(entry.address, policy)).find(Boolean);
    if (refused) refuse(`url: ${host} resolves to ${refused}; webhooks go to public addresses only`);
  }
  return url.toString();
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that refuses names resolving to an address the
 * policy does not allow. The socket connects to exactly the addresses checked
 * here (net.connect uses what lookup returns).
 */
export function guardedLookup(policy: AddressPolicy, onlyLoopback: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as dns.LookupAddress[];
      for (const entry of list) {
        const refusal = onlyLoopback && addressRange(entry.address) !== 'loopback' ? `${entry.address} is not a loopback address (http is for loopback only)` : refusalOf(entry.address, policy);
        if (refusal) return callback(new BlockedAddressError(`refused to connect: ${hostname} resolves to ${refusal}`), '');
      }
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), '');
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** For a URL whose host is an IP literal (net.connect does no lookup for those): why it is refused, or null. */
export function literalAddressRefusal(url: URL, policy: AddressPolicy): string | null {
  const host = bareHost(url.hostname);
  if (!net.isIP(host)) return null;
  if (url.protocol === 'http:' && addressRange(host) !== 'loopback') return `${host} is not a loopback address (http is for loopback only)`;
  return refusalOf(host, policy);
}
