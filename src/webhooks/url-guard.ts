// Where a webhook may go. The URL rule itself is the project's one rule for
// URLs we call on someone's say-so (src/http/outbound-url.ts: https, public
// addresses, loopback only where the policy allows); this adds what a webhook
// needs on top of it: the name resolved when the endpoint is saved (for a
// clear error), and the check again at every send on the very address the
// socket connects to — the request resolves names through `guardedLookup`,
// so a name repointed to a private address later (DNS rebinding) is refused
// at connect time.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { checkOutboundUrl, isPublicAddress } from '../http/outbound-url.js';
import { ValidationError } from '../errors/index.js';

export interface AddressPolicy {
  /** Loopback addresses allowed, over http too (development, sandbox). */
  allowLoopback: boolean;
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

const isLoopbackAddress = (address: string) => ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';

/** Why an address may not receive webhooks, or null when it may. */
export function refusalOf(address: string, policy: AddressPolicy): string | null {
  if (!net.isIP(address)) return `${address} is not an IP address`;
  if (isPublicAddress(address) || (policy.allowLoopback && isLoopbackAddress(address))) return null;
  return `${address} is a ${ipaddr.process(address).range()} address`;
}

/** A URL the merchant may register, or a ValidationError saying why not (resolves the name once). */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy): Promise<string> {
  if (raw.length > 2048) throw new ValidationError('url: at most 2048 characters', 'url');
  const verdict = checkOutboundUrl(raw, { allowLoopback: policy.allowLoopback });
  if (!verdict.ok) throw new ValidationError(`url: ${verdict.reason}`, 'url');
  const host = verdict.url.hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(host) && !(policy.allowLoopback && (host === 'localhost' || host.endsWith('.localhost')))) {
    // A name that resolves to a private address now is refused now; one that does not
    // resolve yet is kept (it may be set up later) and checked at every send.
    const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
    const refused = addresses.map((entry) => refusalOf(entry.address, policy)).find(Boolean);
    if (refused) throw new ValidationError(`url: ${host} resolves to ${refused}; webhooks go to public addresses only`, 'url');
  }
  return verdict.url.toString();
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that refuses names resolving to an address the
 * policy does not allow (over http: anything but loopback). The socket
 * connects to exactly the addresses checked here (net.connect uses what
 * lookup returns).
 */
export function guardedLookup(policy: AddressPolicy, onlyLoopback: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as dns.LookupAddress[];
      for (const entry of list) {
        const refusal = onlyLoopback && !isLoopbackAddress(entry.address) ? `${entry.address}, not a loopback address (http is for loopback only)` : refusalOf(entry.address, policy);
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(host)) return null;
  if (url.protocol === 'http:' && !isLoopbackAddress(host)) return `${host} is not a loopback address (http is for loopback only)`;
  return refusalOf(host, policy);
}
