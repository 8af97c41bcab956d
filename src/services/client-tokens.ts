// Client tokens: what a frontend (the checkout page, a merchant's app) holds
// instead of the merchant's secret API key. A token reads one order and follows
// its updates, nothing else (enforced in schema/order-access.ts and
// http/client-token-fence.ts). Shown once, stored as a sha256 hash,
// short-lived, revocable; a revocation is published so open subscriptions end.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import { generateSecretToken, hashSecretToken, hasSecretTokenShape, sameHash } from './secret-tokens.js';
import { parseShopUrl } from '../domain/shop-url.js';
import { NotFoundError, ValidationError } from '../errors/index.js';

export const CLIENT_TOKEN_PREFIX = 'pg_ct_';
const SHOWN_PREFIX_LENGTH = CLIENT_TOKEN_PREFIX.length + 8;
/** A checkout may stay open at most a day; longer-lived access is what API keys are for. */
export const MAX_CLIENT_TOKEN_TTL_MINUTES = 24 * 60;

export interface AuthenticatedClientToken {
  tokenId: string;
  merchantId: string;
  orderId: string;
  expiresAt: Date;
}

export interface ClientTokenOptions {
  /** Lifetime when the caller names none (CLIENT_TOKEN_TTL_MINUTES). */
  defaultTtlMinutes: number;
  /** Where the checkout page lives (PUBLIC_URL, or the app's own URL). */
  publicUrl: () => string;
  /** Return and cancel URLs may be http://localhost… (outside production). */
  allowLoopbackHttp: boolean;
}

/** Where the checkout sends the payer back: after the end (returnUrl), or on giving up (cancelUrl). */
export interface ShopLinks {
  returnUrl?: string | null;
  cancelUrl?: string | null;
}

export class ClientTokens {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly options: ClientTokenOptions,
  ) {}

  /**
   * Issues a token for one order of this merchant; `token` is the only time it is visible.
   * `expiresAt` overrides the lifetime (tests and tools; GraphQL passes ttlMinutes).
   */
  async create(merchantId: string, orderId: string, lifetime: { ttlMinutes?: number; expiresAt?: Date } = {}, links: ShopLinks = {}) {
    const ttl = lifetime.ttlMinutes ?? this.options.defaultTtlMinutes;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_CLIENT_TOKEN_TTL_MINUTES) {
      throw new ValidationError(`ttlMinutes: 1 to ${MAX_CLIENT_TOKEN_TTL_MINUTES}`, 'ttlMinutes');
    }
    const returnUrl = this.shopUrl('returnUrl', links.returnUrl);
    const cancelUrl = this.shopUrl('cancelUrl', links.cancelUrl);
    const order = await this.prisma.order.findFirst({ where: { id: orderId, merchantId }, select: { id: true } });
    if (!order) throw new NotFoundError('Order', orderId);
    const token = generateSecretToken(CLIENT_TOKEN_PREFIX);
    const record = await this.prisma.clientToken.create({
      data: {
        merchantId,
        orderId,
        prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        secretHash: hashSecretToken(token),
        expiresAt: lifetime.expiresAt ?? new Date(Date.now() + ttl * 60_000),
        returnUrl,
        cancelUrl,
      },
    });
    return { token, record, checkoutUrl: this.checkoutUrl(orderId, token) };
  }

  /** Checks shop links by the same rules as create, before anything else is done with them. */
  checkLinks(links: ShopLinks) {
    this.shopUrl('returnUrl', links.returnUrl);
    this.shopUrl('cancelUrl', links.cancelUrl);
  }

  private shopUrl(field: keyof ShopLinks, value: string | null | undefined): string | null {
    if (value == null) return null;
    const parsed = parseShopUrl(value, { allowLoopbackHttp: this.options.allowLoopbackHttp });
    if (!parsed.ok) throw new ValidationError(`${field}: ${parsed.problem}`, field);
    return parsed.href;
  }

  checkoutUrl(orderId: string, token: string) {
    return `${this.options.publicUrl()}/checkout/${orderId}?token=${encodeURIComponent(token)}`;
  }

  /** Resolves a presented token, or null (unknown, malformed, revoked or expired). */
  async authenticate(presented: string): Promise<AuthenticatedClientToken | null> {
    if (!hasSecretTokenShape(presented, CLIENT_TOKEN_PREFIX)) return null;
    const hash = hashSecretToken(presented);
    const record = await this.prisma.clientToken.findUnique({
      where: { secretHash: hash },
      select: { id: true, merchantId: true, orderId: true, secretHash: true, expiresAt: true, revokedAt: true },
    });
    if (!record || !sameHash(record.secretHash, hash) || !usable(record)) return null;
    return { tokenId: record.id, merchantId: record.merchantId, orderId: record.orderId, expiresAt: record.expiresAt };
  }

  /**
   * The token's expiry while it is still usable, else null. Asked again by
   * long-lived connections (graphql-ws) that authenticated once.
   */
  async activeUntil(tokenId: string): Promise<Date | null> {
    const record = await this.prisma.clientToken.findUnique({ where: { id: tokenId }, select: { expiresAt: true, revokedAt: true } });
    return record && usable(record) ? record.expiresAt : null;
  }

  list(merchantId: string, orderId: string) {
    return this.prisma.clientToken.findMany({ where: { merchantId, orderId }, orderBy: { createdAt: 'asc' } });
  }

  /**
   * Revokes a token of this merchant, and ends its open subscriptions. Revoking
   * twice is fine; false only when no such token belongs to this merchant.
   */
  async revoke(merchantId: string, tokenId: string): Promise<boolean> {
    const token = await this.prisma.clientToken.findFirst({ where: { id: tokenId, merchantId }, select: { orderId: true } });
    if (!token) return false;
    const result = await this.prisma.clientToken.updateMany({
      where: { id: tokenId, merchantId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    // After the write, so a subscriber that re-checks on this event sees the revocation.
    if (result.count === 1) this.pubsub.publish('clientToken:revoked', tokenId, { tokenId, orderId: token.orderId });
    return true;
  }
}

function usable(record: { expiresAt: Date; revokedAt: Date | null }) {
  return !record.revokedAt && record.expiresAt.getTime() > Date.now();
}
