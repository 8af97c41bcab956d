// Who may read which order: a merchant reads its own orders; a client token
// reads the one order it was issued for, while it is neither revoked nor
// expired. `order` and `orderUpdated` go through here (scope `orderReader`);
// every other field keeps `requireMerchant`, which refuses client tokens.
import { GraphQLError } from 'graphql';
import type { Context } from './builder.js';

export type OrderScope = { id: string; merchantId: string };

const tokenEnded = () =>
  new GraphQLError('this client token was revoked or has expired', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

const unauthenticated = () =>
  new GraphQLError('authentication required: send "Authorization: Bearer <API key or client token>"', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/** The Prisma `where` for the order with this id, as this caller may see it; null when it may not see it at all. */
export async function readableOrder(ctx: Context, orderId: string): Promise<OrderScope | null> {
  const caller = ctx.caller;
  switch (caller.kind) {
    case 'merchant':
      return { id: orderId, merchantId: caller.merchantId };
    case 'client-token':
      // A graphql-ws connection authenticated once, at connection_init: ask
      // again, so a revocation or an expiry counts from that moment on.
      if (!(await ctx.services.clientTokens.activeUntil(caller.tokenId))) throw tokenEnded();
      return caller.orderId === orderId ? { id: orderId, merchantId: caller.merchantId } : null;
    case 'anonymous':
      throw unauthenticated();
  }
}

export interface OrderWatch {
  /** What the subscriber may follow (null: nothing under this id). */
  scope: OrderScope | null;
  /** Settles with the reason when access ends while subscribed (a client token revoked or expired); never for a merchant. */
  ended: Promise<GraphQLError>;
  /** Asked before each message: false once the access has ended. */
  stillAllowed(): Promise<boolean>;
  close(): void;
}

/** Access for a subscription: checked at the start, before each message, on a revocation event, and at expiry. */
export async function watchOrderAccess(ctx: Context, orderId: string): Promise<OrderWatch> {
  const caller = ctx.caller;
  if (caller.kind !== 'client-token') {
    return { scope: await readableOrder(ctx, orderId), ended: new Promise(() => {}), stillAllowed: async () => true, close() {} };
  }
  let endAccess!: (reason: GraphQLError) => void;
  const ended = new Promise<GraphQLError>((resolve) => (endAccess = resolve));
  // Listen first, then read: a revocation between the two is still seen.
  const revocations = ctx.services.pubsub.subscribe('clientToken:revoked', caller.tokenId)[Symbol.asyncIterator]();
  void revocations.next().then(({ done }) => {
    if (!done) endAccess(tokenEnded());
  });
  let timer: NodeJS.Timeout | undefined;
  const close = () => {
    clearTimeout(timer);
    void revocations.return?.();
  };
  const until = await ctx.services.clientTokens.activeUntil(caller.tokenId);
  if (!until) {
    close();
    throw tokenEnded();
  }
  // setTimeout's limit is ~24.8 days; tokens live a day at most.
  timer = setTimeout(() => endAccess(tokenEnded()), Math.min(until.getTime() - Date.now(), 2 ** 31 - 1));
  timer.unref();
  return {
    scope: caller.orderId === orderId ? { id: orderId, merchantId: caller.merchantId } : null,
    ended,
    stillAllowed: async () => (await ctx.services.clientTokens.activeUntil(caller.tokenId)) !== null,
    close,
  };
}
