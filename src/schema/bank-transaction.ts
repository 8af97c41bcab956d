// The imported bank statement: the Transaction type, the filtered list with
// its totals, a CSV export, the live feed of new lines, bank-transfer orders
// (paid by a line naming their transfer code) and the order's lines.
import { liveStream } from './live-stream.js';
import { stringify } from 'csv-stringify/sync';
import { filterText } from './filter-text.js';
import { builder, requireMerchant, selection, type Context } from './builder.js';
import { bankProviderErrors } from './bank-account.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { BankTransactionReceived } from '../pubsub.js';
import { formatVietnamTime } from '../domain/time.js';
import { NotFoundError, ValidationError, IdempotencyConflictError, IdempotencyKeyReusedError } from '../errors/index.js';
import { actorOf } from './actor.js';
import { z } from 'zod';
import { commonOrderFields, expiresInMinutes } from '../validation/order-input.js';
import { parseInput } from '../validation/parse-input.js';
import { existingId, idOrNull } from './ids.js';

export const DirectionEnum = builder.enumType('BankTransactionDirection', { values: ['IN', 'OUT'] as const, description: 'IN: money into the account. OUT: money out.' });
const SourceEnum = builder.enumType('BankTransactionSource', { values: ['POLL', 'WEBHOOK'] as const, description: 'How the line first reached us.' });

export const TransactionType = builder.prismaObject('BankTransaction', {
  name: 'Transaction',
  description: 'One line of a linked bank account\'s statement. (bank, refNo) identifies it: it is recorded once however it arrives.',
  fields: (t) => ({
    id: t.exposeID('id'),
    bank: t.exposeString('bank'),
    account: t.relation('bankAccount', { nullable: true, description: 'The linked account, once known.' }),
    accountNumber: t.exposeString('accountNumber'),
    amount: t.expose('amount', { type: 'BigInt', description: 'Signed: positive in, negative out.' }),
    direction: t.expose('direction', { type: DirectionEnum }),
    refNo: t.exposeString('refNo', { description: "The bank's reference." }),
    description: t.exposeString('description', { description: 'The transfer description (empty until a poll brings it, when the webhook came first).' }),
    balanceAfter: t.expose('balanceAfter', { type: 'BigInt', nullable: true }),
    transactionTime: t.expose('transactionTime', { type: 'DateTime' }),
    source: t.expose('source', { type: SourceEnum }),
    matchedOrder: t.relation('matchedOrder', { nullable: true, description: 'The bank-transfer order this line paid (or was an extra payment of).' }),
    matched: t.boolean({ select: { matchedOrderId: true }, resolve: (line) => line.matchedOrderId !== null }),
    matchNote: t.exposeString('matchNote', { nullable: true, description: 'Why an unmatched line was not matched (ambiguous), or that it is an extra payment.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When we recorded it.' }),
  }),
});

builder.prismaObjectField('Order', 'bankTransactions', (t) =>
  t.relation('bankTransactions', {
    description: 'Bank statement lines matched to this order (BANK_TRANSFER): the one that paid it first, then any extra payment.',
    query: { orderBy: [{ transactionTime: 'asc' }, { id: 'asc' }] },
  }),
);

// ---- the filtered list ------------------------------------------------------

const TransactionFilter = builder.inputType('TransactionFilter', {
  fields: (t) => ({
    accountId: t.id({ required: false, description: 'A BankAccount id.' }),
    bank: t.string({ required: false }),
    direction: t.field({ type: DirectionEnum, required: false }),
    from: t.field({ type: 'DateTime', required: false, description: 'transactionTime ≥ from.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'transactionTime < to.' }),
    search: t.string({ required: false, description: 'In the description or the reference (any case).' }),
    matched: t.boolean({ required: false, description: 'true: matched to an order; false: unmatched.' }),
  }),
});

type TransactionFilterShape = typeof TransactionFilter.$inferInput;

export function transactionWhere(merchantId: string, filter: TransactionFilterShape | null | undefined): Prisma.BankTransactionWhereInput {
  const where: Prisma.BankTransactionWhereInput = { merchantId };
  if (!filter) return where;
  if (filter.accountId) where.bankAccountId = idOrNull(filter.accountId) ?? '00000000-0000-0000-0000-000000000000'; // an id naming nothing matches nothing
  if (filter.bank) where.bank = filterText(filter.bank, 'bank').trim().toUpperCase();
  if (filter.direction) where.direction = filter.direction;
  if (filter.from || filter.to) where.transactionTime = { gte: filter.from ?? undefined, lt: filter.to ?? undefined };
  if (filter.search) {
    const search = filterText(filter.search, 'search');
    where.OR = [{ description: { contains: search, mode: 'insensitive' } }, { refNo: { contains: search, mode: 'insensitive' } }];
  }
  if (filter.matched != null) where.matchedOrderId = filter.matched ? { not: null } : null;
  return where;
}

interface Totals {
  totalIn: bigint;
  totalOut: bigint;
  net: bigint;
  count: number;
}

async function totalsOf(ctx: Context, where: Prisma.BankTransactionWhereInput): Promise<Totals> {
  const groups = await ctx.prisma.bankTransaction.groupBy({ by: ['direction'], where, _sum: { amount: true }, _count: { _all: true } });
  const sum = (direction: 'IN' | 'OUT') => groups.find((g) => g.direction === direction)?._sum.amount ?? 0n;
  const totalIn = sum('IN');
  const totalOut = -sum('OUT');
  return { totalIn, totalOut, net: totalIn - totalOut, count: groups.reduce((n, g) => n + g._count._all, 0) };
}

const TransactionTotals = builder.objectRef<Totals>('TransactionTotals').implement({
  description: 'Over every line the filter matches (not only this page).',
  fields: (t) => ({
    totalIn: t.field({ type: 'BigInt', resolve: (s) => s.totalIn }),
    totalOut: t.field({ type: 'BigInt', description: 'A magnitude: money out, as a positive number.', resolve: (s) => s.totalOut }),
    net: t.field({ type: 'BigInt', description: 'totalIn − totalOut.', resolve: (s) => s.net }),
    count: t.int({ resolve: (s) => s.count }),
  }),
});

builder.queryField('transactions', (t) =>
  t.prismaConnection(
    {
      type: 'BankTransaction',
      cursor: 'id',
      description: 'Your imported bank statement, newest first.',
      authScopes: { merchant: true },
      defaultSize: 20,
      maxSize: 100,
      args: { filter: t.arg({ type: TransactionFilter, required: false }) },
      resolve: (query, _root, { filter }, ctx) =>
        ctx.prisma.bankTransaction.findMany({ ...query, where: transactionWhere(requireMerchant(ctx), filter), orderBy: [{ transactionTime: 'desc' }, { id: 'desc' }] }),
    },
    {
      fields: (c) => ({
        totals: c.field({
          type: TransactionTotals,
          resolve: (connection, _args, ctx) => {
            // The connection keeps the field's arguments: the totals use the same filter as the page.
            const { filter } = (connection as unknown as { args: { filter?: TransactionFilterShape | null } }).args;
            return totalsOf(ctx, transactionWhere(requireMerchant(ctx), filter));
          },
        }),
      }),
    },
  ),
);

// ---- CSV export -------------------------------------------------------------

/** Enough for a spreadsheet; narrow the filter for more. */
export const CSV_MAX_ROWS = 10_000;

/**
 * Descriptions are written by payers: a cell starting with = + - @, a tab or a
 * CR is prefixed with ' so a spreadsheet shows it instead of running it
 * (OWASP's CSV injection rule, csv-stringify's escape_formulas; amounts are
 * numbers and keep their minus). Cells with ; are quoted too, for spreadsheets
 * set to read ; as the separator.
 */
export function statementCsv(header: string[], rows: (string | bigint)[][]): string {
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows', escape_formulas: true, quoted_match: ';' });
}

builder.queryField('transactionsCsv', (t) =>
  t.string({
    description: `The filtered statement as CSV (UTF-8 with a BOM, so Excel shows Vietnamese right; times in Vietnam time), newest first, at most ${CSV_MAX_ROWS} lines.`,
    authScopes: { merchant: true },
    args: { filter: t.arg({ type: TransactionFilter, required: false }) },
    resolve: async (_root, { filter }, ctx) => {
      const rows = await ctx.prisma.bankTransaction.findMany({
        where: transactionWhere(requireMerchant(ctx), filter),
        orderBy: [{ transactionTime: 'desc' }, { id: 'desc' }],
        take: CSV_MAX_ROWS,
        include: { matchedOrder: { select: { requestId: true, merchantReference: true } } },
      });
      const header = ['Thời gian', 'Ngân hàng', 'Số tài khoản', 'Mã GD', 'Nội dung', 'Loại', 'Số tiền', 'Số dư sau', 'Mã đơn', 'Đơn của bạn'];
      const lines = rows.map((row) => [
        formatVietnamTime(row.transactionTime),
        row.bank,
        row.accountNumber,
        row.refNo,
        row.description,
        row.direction === 'IN' ? 'Tiền vào' : 'Tiền ra',
        row.amount,
        row.balanceAfter ?? '',
        row.matchedOrder?.requestId ?? '',
        row.matchedOrder?.merchantReference ?? '',
      ]);
      return statementCsv(header, lines);
    },
  }),
);

// ---- import now ---------------------------------------------------------------

const ImportSummaryType = builder.objectRef<{ fetched: number; imported: number; settled: number }>('BankStatementImport').implement({
  fields: (t) => ({
    fetched: t.exposeInt('fetched', { description: 'Lines read from API Ngân hàng.' }),
    imported: t.exposeInt('imported', { description: 'Lines that were new.' }),
    settled: t.exposeInt('settled', { description: 'Orders paid (or sent to review) by them.' }),
  }),
});


builder.mutationField('syncBankStatement', (t) =>
  t.field({
    type: ImportSummaryType,
    description: 'Imports your bank statement from API Ngân hàng now and matches it (the worker does this every few seconds anyway).',
    authScopes: { merchant: true },
    errors: { types: bankProviderErrors },
    resolve: (_root, _args, ctx) => ctx.services.bank.statements.importMerchant(requireMerchant(ctx), actorOf(ctx)),
  }),
);

// ---- live feed ------------------------------------------------------------------

builder.subscriptionField('transactionReceived', (t) =>
  t.prismaField({
    type: 'BankTransaction',
    description: 'Each new line of your statement (polled or pushed), once recorded and matched. Optionally one account only.',
    authScopes: { merchant: true },
    args: { accountId: t.arg.id({ required: false }) },
    subscribe: (_root, { accountId }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const only = accountId ? String(accountId) : null;
      return liveStream<BankTransactionReceived>({
        listen: () => ctx.services.pubsub.subscribe('merchant:bank-transactions', merchantId),
        keep: (received) => !only || received.bankAccountId === only,
      });
    },
    resolve: (query, received, _args, ctx) => ctx.prisma.bankTransaction.findUniqueOrThrow({ ...selection(query), where: { id: (received as BankTransactionReceived).bankTransactionId } }),
  }),
);

// ---- bank-transfer orders ---------------------------------------------------------

const CreateBankTransferOrderInput = builder.inputType('CreateBankTransferOrderInput', {
  fields: (t) => ({
    amount: t.field({ type: 'BigInt', required: true, description: 'Whole đồng, exactly what the payer must transfer.' }),
    bankAccountId: t.id({ required: true, description: 'Which of your linked accounts the payer pays into.' }),
    idempotencyKey: t.string({ required: true, description: 'Your key for this operation: retrying with it never creates a second order.' }),
    merchantReference: t.string({ required: false, description: 'Your own order number, searchable.' }),
    description: t.string({ required: false }),
    expiresInMinutes: t.int({ required: false, description: '1 to 10080 (default: ORDER_TTL_MINUTES).' }),
  }),
});

/** The same rules as every order's input (validation/order-input.ts), with a bank transfer's own ceiling. */
const bankTransferOrderCommand = z.object({
  ...commonOrderFields({ maxAmount: 100_000_000_000n, tooLarge: 'amount is larger than any bank transfer accepts' }),
  bankAccountId: z.union([z.string(), z.number()]),
  expiresInMinutes,
});

builder.mutationField('createBankTransferOrder', (t) =>
  t.prismaField({
    type: 'Order',
    description:
      "Collects a payment by plain bank transfer to your own account. The order's instructions show the account and a short transfer code (transferContent, also its requestId) the payer must put in the description; the statement import matches the transfer: exact amount → SUCCEEDED, another amount → NEEDS_REVIEW.",
    authScopes: { merchant: true },
    errors: { types: [ValidationError, NotFoundError, IdempotencyKeyReusedError, IdempotencyConflictError] },
    args: { input: t.arg({ type: CreateBankTransferOrderInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const input = parseInput(bankTransferOrderCommand, args.input);
      const bankAccountId = existingId('BankAccount', input.bankAccountId);
      const { orderId } = await ctx.services.bank.transferOrders.create({
        merchantId: requireMerchant(ctx),
        actor: actorOf(ctx),
        idempotencyKey: input.idempotencyKey,
        amount: input.amount,
        bankAccountId,
        ...(input.merchantReference ? { merchantReference: input.merchantReference } : {}),
        ...(input.description ? { description: input.description } : {}),
        ...(input.expiresInMinutes != null ? { expiresInMinutes: input.expiresInMinutes } : {}),
      });
      return ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: orderId } });
    },
  }),
);
