// `paygraph review list | resolve | match | close`: the review queue from a
// terminal, for an operator with access to the database. The same services
// as the API; the actor is cli:<os user>. Without --merchant a command sees
// every merchant (an operator's view); with it, that merchant only.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { Logger } from '../logger.js';
import { reviewReasons, type ReviewReason } from '../domain/order-status.js';
import { OrderTransitions } from '../services/order-transitions.js';
import { createReviewServices } from '../services/review/index.js';
import { reviewOutcomes, type ReviewOutcome } from '../services/review/decisions.js';
import { type ReviewEntry, type ReviewItemKind, type ReviewScope } from '../services/review/queue.js';
import { ReviewRefusedError, NotFoundError, ValidationError } from '../errors/index.js';

export const reviewUsage = `review list [--merchant ID] [--kind order|card-charge|bank-transaction] [--reason R] [--limit N]
  review resolve order <id> --outcome SUCCEEDED|FAILED [--amount SETTLED] --note TEXT [--merchant ID]
  review resolve card-charge <id> --outcome SUCCEEDED|FAILED [--amount RECEIVED] [--real-value V] --note TEXT [--merchant ID]
  review match <transactionId> <orderId> --note TEXT [--merchant ID]
  review close <transactionId> --note TEXT [--merchant ID]`;

export type ReviewCommand =
  | { kind: 'list'; scope: ReviewScope; kinds: ReviewItemKind[]; reasons: ReviewReason[]; limit: number }
  | { kind: 'resolve-order'; scope: ReviewScope; id: string; outcome: ReviewOutcome; amount?: bigint; note: string }
  | { kind: 'resolve-card-charge'; scope: ReviewScope; id: string; outcome: ReviewOutcome; amount?: bigint; realValue?: bigint; note: string }
  | { kind: 'match'; scope: ReviewScope; transactionId: string; orderId: string; note: string }
  | { kind: 'close'; scope: ReviewScope; transactionId: string; note: string };

const kindNames: Record<string, ReviewItemKind> = { order: 'ORDER', 'card-charge': 'CARD_CHARGE', 'bank-transaction': 'BANK_TRANSACTION' };
const options = {
  merchant: { type: 'string' },
  kind: { type: 'string', multiple: true },
  reason: { type: 'string', multiple: true },
  limit: { type: 'string' },
  outcome: { type: 'string' },
  amount: { type: 'string' },
  'real-value': { type: 'string' },
  note: { type: 'string' },
} as const;

/** The arguments after `review`, checked; a string says what is wrong. */
export function parseReviewCommand(args: string[]): ReviewCommand | string {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  const scope: ReviewScope = values.merchant ? { merchantId: values.merchant } : { allMerchants: true };
  const money = (name: string, value: string | undefined) => (value === undefined ? undefined : /^\d{1,15}$/.test(value) ? BigInt(value) : `${name}: a whole number of đồng`);
  switch (action) {
    case 'list': {
      const kinds = (values.kind ?? []).map((name) => kindNames[name.toLowerCase()]);
      if (kinds.some((kind) => !kind)) return `--kind: one of ${Object.keys(kindNames).join(', ')}`;
      const reasons = (values.reason ?? []).map((name) => name.toUpperCase());
      if (reasons.some((reason) => !(reviewReasons as readonly string[]).includes(reason))) return `--reason: one of ${reviewReasons.join(', ')}`;
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return '--limit: 1 to 1000';
      return { kind: 'list', scope, kinds: kinds as ReviewItemKind[], reasons: reasons as ReviewReason[], limit };
    }
    case 'resolve': {
      const [what, id] = rest;
      if ((what !== 'order' && what !== 'card-charge') || !id || rest.length !== 2) return 'review resolve order|card-charge <id> --outcome … --note …';
      const outcome = values.outcome?.toUpperCase();
      if (!(reviewOutcomes as readonly string[]).includes(outcome ?? '')) return `--outcome: ${reviewOutcomes.join(' or ')}`;
      if (values.note === undefined) return '--note: say why';
      const amount = money('--amount', values.amount);
      const realValue = money('--real-value', values['real-value']);
      if (typeof amount === 'string') return amount;
      if (typeof realValue === 'string') return realValue;
      if (what === 'order') {
        if (realValue !== undefined) return '--real-value is for card charges';
        return { kind: 'resolve-order', scope, id, outcome: outcome as ReviewOutcome, amount, note: values.note };
      }
      return { kind: 'resolve-card-charge', scope, id, outcome: outcome as ReviewOutcome, amount, realValue, note: values.note };
    }
    case 'match': {
      const [transactionId, orderId] = rest;
      if (!transactionId || !orderId || rest.length !== 2) return 'review match <transactionId> <orderId> --note …';
      if (values.note === undefined) return '--note: say why';
      return { kind: 'match', scope, transactionId, orderId, note: values.note };
    }
    case 'close': {
      const [transactionId] = rest;
      if (!transactionId || rest.length !== 1) return 'review close <transactionId> --note …';
      if (values.note === undefined) return '--note: say why';
      return { kind: 'close', scope, transactionId, note: values.note };
    }
    default:
      return action ? `unknown review command "${action}"` : 'review needs a command';
  }
}

/** Who acts from this terminal. */
export function cliActor(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
  }
  return `cli:${name || process.env.USER || 'unknown'}`;
}

export interface ReviewCommandDeps {
  prisma: PrismaClient;
  /** Redis-backed when REDIS_URL is set, so running servers' subscribers hear about a decision. */
  pubsub: AppPubSub;
  logger: Logger;
  out: (line: string) => void;
  actor?: string;
}

/** Runs a parsed command; answers the exit code (1: refused, nothing changed). */
export async function runReviewCommand(command: ReviewCommand, deps: ReviewCommandDeps): Promise<number> {
  const review = createReviewServices(deps.prisma, deps.pubsub, new OrderTransitions(deps.prisma, deps.pubsub, deps.logger));
  const base = { scope: command.scope, actor: deps.actor ?? cliActor() };
  try {
    switch (command.kind) {
      case 'list': {
        const filter = { kinds: command.kinds, reasons: command.reasons };
        const [entries, total] = await Promise.all([review.queue.page({ scope: command.scope, filter, limit: command.limit }), review.queue.count(command.scope, filter)]);
        for (const entry of entries) deps.out(describe(entry));
        deps.out(`${total} waiting${total > entries.length ? ` (${entries.length} shown, oldest first)` : ''}`);
        return 0;
      }
      case 'resolve-order': {
        const { orderId } = await review.actions.resolveOrder({ ...base, orderId: command.id, outcome: command.outcome, settledAmount: command.amount, note: command.note });
        const order = await deps.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
        deps.out(`order ${order.id}: ${order.status}${order.settledAmount !== null ? `, settled ${order.settledAmount} of ${order.amount}` : ''}`);
        return 0;
      }
      case 'resolve-card-charge': {
        const { cardChargeId } = await review.actions.resolveCardCharge({ ...base, cardChargeId: command.id, outcome: command.outcome, amountReceived: command.amount, realValue: command.realValue, note: command.note });
        const charge = await deps.prisma.cardCharge.findUniqueOrThrow({ where: { id: cardChargeId } });
        deps.out(`card charge ${charge.id}: ${charge.status}${charge.amountReceived !== null ? `, received ${charge.amountReceived}` : ''}`);
        return 0;
      }
      case 'match': {
        const { transactionId, orderId } = await review.actions.matchBankTransaction({ ...base, transactionId: command.transactionId, orderId: command.orderId, note: command.note });
        const order = await deps.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
        deps.out(`bank line ${transactionId} tied to order ${order.id}: ${order.status}${order.reviewOpenedAt ? ` (review: ${order.reviewReason})` : ''}`);
        return 0;
      }
      case 'close': {
        const { transactionId } = await review.actions.closeBankTransactionReview({ ...base, transactionId: command.transactionId, note: command.note });
        deps.out(`bank line ${transactionId}: review closed`);
        return 0;
      }
      default: {
        const unhandled: never = command;
        throw new Error(`unhandled review command ${JSON.stringify(unhandled)}`);
      }
    }
  } catch (error) {
    if (error instanceof ReviewRefusedError) deps.out(`refused (${error.code}): ${error.message}; nothing changed`);
    else if (error instanceof ValidationError || error instanceof NotFoundError) deps.out(`refused: ${error.message}; nothing changed`);
    else throw error;
    return 1;
  }
}

/** One queue line: since, kind, id, reason, the amounts, whose. */
function describe(entry: ReviewEntry): string {
  const amounts = (() => {
    switch (entry.kind) {
      case 'ORDER':
        return `${entry.row.status} expected ${entry.row.amount}${entry.row.settledAmount !== null ? ` settled ${entry.row.settledAmount}` : ''}`;
      case 'CARD_CHARGE':
        return `${entry.row.status} declared ${entry.row.declaredValue}${entry.row.realValue !== null ? ` real ${entry.row.realValue}` : ''}${entry.row.amountReceived !== null ? ` received ${entry.row.amountReceived}` : ''}`;
      case 'BANK_TRANSACTION':
        return `amount ${entry.row.amount} "${entry.row.description}"`;
      default: {
        const unhandled: never = entry;
        return unhandled;
      }
    }
  })();
  return [entry.openedAt.toISOString(), entry.kind.padEnd(16), entry.id, entry.reason.padEnd(23), amounts, `merchant ${entry.row.merchantId}`].join('  ');
}
