// Payment links: a hosted checkout URL for an amount, with an expiry and the
// shop's return/cancel pages. The payer needs no key: the link's token is the
// access. Opening it lists the methods routable now; the payer's choice makes
// the link's one order through createPayment (idempotency key "payment-link:<id>",
// so a second click, a second tab or a second method never makes a second
// order), then the payer continues on that order's checkout page.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { methodsOffered, type PaymentMethod } from '../../domain/routing.js';
import { routeOffers } from '../../providers/routes.js';
import { ValidationError } from '../../errors/index.js';
import { generateSecretToken, hashSecretToken, hasSecretTokenShape } from '../secret-tokens.js';
import type { ClientTokens } from '../client-tokens.js';
import { MAX_CLIENT_TOKEN_TTL_MINUTES } from '../client-tokens.js';
import type { Payments } from './payments.js';
import type { PaymentRouting } from './routing.js';

export const PAYMENT_LINK_PREFIX = 'pg_pl_';
/** A link lives at most a week, like an order's expiry. */
export const MAX_PAYMENT_LINK_MINUTES = 7 * 24 * 60;

export interface CreatePaymentLinkCommand {
  merchantId: string;
  amount: bigint;
  description?: string;
  merchantReference?: string;
  expiresInMinutes?: number;
  returnUrl?: string;
  cancelUrl?: string;
}

export type PaymentLinkRow = NonNullable<Awaited<ReturnType<PrismaClient['paymentLink']['findUnique']>>>;

export class PaymentLinks {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly payments: Payments,
    private readonly routing: PaymentRouting,
    private readonly clientTokens: ClientTokens,
    private readonly options: { publicUrl: () => string; defaultTtlMinutes: number },
  ) {}

  async create(command: CreatePaymentLinkCommand) {
    const minutes = command.expiresInMinutes ?? this.options.defaultTtlMinutes;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_PAYMENT_LINK_MINUTES) throw new ValidationError(`expiresInMinutes: 1 to ${MAX_PAYMENT_LINK_MINUTES}`, 'expiresInMinutes');
    this.clientTokens.checkLinks({ returnUrl: command.returnUrl, cancelUrl: command.cancelUrl });
    const token = generateSecretToken(PAYMENT_LINK_PREFIX);
    const link = await this.prisma.paymentLink.create({
      data: {
        merchantId: command.merchantId,
        secretHash: hashSecretToken(token),
        amount: command.amount,
        description: command.description,
        merchantReference: command.merchantReference,
        returnUrl: command.returnUrl,
        cancelUrl: command.cancelUrl,
        expiresAt: new Date(Date.now() + minutes * 60_000),
      },
    });
    return { link, url: `${this.options.publicUrl()}/pay/${token}` };
  }

  /** The link behind a presented token, or null (unknown, malformed or expired). */
  async open(token: string): Promise<PaymentLinkRow | null> {
    if (!hasSecretTokenShape(token, PAYMENT_LINK_PREFIX)) return null;
    const link = await this.prisma.paymentLink.findUnique({ where: { secretHash: hashSecretToken(token) } });
    if (!link) return null;
    // Past its expiry a link that made no order is dead; one that made an order still leads to it (its status, its return page).
    if (!link.orderId && link.expiresAt <= new Date()) return null;
    return link;
  }

  /** The collecting methods some route of the merchant can carry for this amount now, in the enum's order. */
  async methods(link: PaymentLinkRow): Promise<PaymentMethod[]> {
    const offered = methodsOffered(routeOffers, 'IN');
    const plans = await Promise.all(offered.map((method) => this.routing.plan(link.merchantId, { direction: 'IN', method, amount: link.amount })));
    return offered.filter((_, index) => plans[index]!.candidates.length > 0);
  }

  /**
   * The payer chose a method: the link's one order (made now, or the one made
   * before, whatever method that took), and a checkout URL for it.
   */
  async choose(link: PaymentLinkRow, method: PaymentMethod | undefined): Promise<{ orderId: string; checkoutUrl: string }> {
    let orderId = link.orderId;
    if (!orderId) {
      if (!method) throw new ValidationError('method: choose how to pay', 'method');
      const minutesLeft = Math.ceil((link.expiresAt.getTime() - Date.now()) / 60_000);
      if (minutesLeft < 1) throw new ValidationError('this payment link has expired', 'link');
      try {
        ({ orderId } = await this.payments.create({
          merchantId: link.merchantId,
          actor: `payment-link:${link.id}`,
          idempotencyKey: `payment-link:${link.id}`,
          direction: 'IN',
          method,
          amount: link.amount,
          description: link.description ?? undefined,
          merchantReference: link.merchantReference ?? undefined,
          expiresInMinutes: minutesLeft,
        }));
      } catch (error) {
        // The key already holds the link's order: another choice (another method, another tab) made it first,
        // or this create ended with one (every route refused, an unknown outcome). The payer sees that order.
        const made = await this.orderOfKey(link);
        if (!made) throw error;
        orderId = made;
      }
      await this.prisma.paymentLink.updateMany({ where: { id: link.id, orderId: null }, data: { orderId } });
    }
    const order = await this.prisma.order.findUniqueOrThrow({ where: { id: orderId! }, select: { expiresAt: true } });
    const ttlMinutes = Math.min(MAX_CLIENT_TOKEN_TTL_MINUTES, Math.max(1, Math.ceil(((order.expiresAt ?? link.expiresAt).getTime() - Date.now()) / 60_000)));
    const { checkoutUrl } = await this.clientTokens.create(link.merchantId, orderId!, { ttlMinutes }, { returnUrl: link.returnUrl, cancelUrl: link.cancelUrl });
    return { orderId: orderId!, checkoutUrl };
  }

  private async orderOfKey(link: PaymentLinkRow): Promise<string | null> {
    const key = await this.prisma.idempotencyKey.findUnique({ where: { merchantId_key: { merchantId: link.merchantId, key: `payment-link:${link.id}` } }, select: { orderId: true } });
    return key?.orderId ?? null;
  }
}
