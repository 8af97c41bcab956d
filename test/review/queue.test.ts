// The review queue over real HTTP: what waits for a person (orders, card
// charges, bank lines), oldest first, with the reason, the amounts and the
// object itself; stable cursor pages; filters and the count; one merchant's
// queue only; and no query per item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, gql, startTestApp, statementsDuring, type TestApp } from '../support/harness.js';
import { REVIEW_QUEUE, call, cardInReview, lineInReview, paidBankOrder, underpaidBankOrder, underpaidCashIn, type Merchant } from './support.js';

describe('the review queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No workers: every import is the test's own syncBankStatement, and nothing moves behind its back.
    t = await startTestApp({ WORKERS: 'false' });
  });
  afterAll(() => t.stop());

  const queue = (merchant: Merchant, variables: Record<string, unknown> = {}) => call(t.url, merchant.apiKey, REVIEW_QUEUE, variables);
  const idsOf = (page: { edges: { node: { id: string } }[] }) => page.edges.map((edge) => edge.node.id);

  it('lists orders, card charges and bank lines that wait for a person, oldest first, with reason, amounts and the object', async () => {
    const merchant = await createMerchant(t.app);
    const bankOrder = await underpaidBankOrder(t, merchant, 150_000, 100_000);
    const cashIn = await underpaidCashIn(t, merchant, 200_000, 150_000);
    const card = await cardInReview(t, merchant, 50_000n);
    const line = await lineInReview(t, merchant, 42_000);
    await paidBankOrder(t, merchant); // settled: not in the queue

    const page = await queue(merchant, { first: 10 });
    expect(page.totalCount).toBe(4);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const nodes = page.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes).toEqual([
      {
        __typename: 'OrderReview',
        id: bankOrder.id,
        kind: 'ORDER',
        reason: 'UNDERPAID',
        openedAt: bankOrder.reviewOpenedAt!.toISOString(),
        expectedAmount: '150000',
        settledAmount: '100000',
        order: { id: bankOrder.id, kind: 'BANK_TRANSFER', status: 'NEEDS_REVIEW', requestId: bankOrder.requestId, events: [{ toStatus: 'PENDING', cause: 'API' }, { toStatus: 'NEEDS_REVIEW', cause: 'MATCH' }] },
      },
      {
        __typename: 'OrderReview',
        id: cashIn.id,
        kind: 'ORDER',
        reason: 'UNDERPAID',
        openedAt: cashIn.reviewOpenedAt!.toISOString(),
        expectedAmount: '200000',
        settledAmount: '150000',
        order: expect.objectContaining({ id: cashIn.id, kind: 'CASH_IN', events: [{ toStatus: 'PENDING', cause: 'API' }, { toStatus: 'NEEDS_REVIEW', cause: 'CALLBACK' }] }),
      },
      {
        __typename: 'CardChargeReview',
        id: card.id,
        kind: 'CARD_CHARGE',
        reason: 'UNCONFIRMED_OUTCOME',
        openedAt: card.reviewOpenedAt!.toISOString(),
        declaredValue: '50000',
        realValue: null,
        amountReceived: null,
        cardCharge: { id: card.id, status: 'NEEDS_REVIEW', maskedCode: card.maskedCode, events: [{ toStatus: 'PENDING', cause: 'API' }] },
      },
      {
        __typename: 'TransactionReview',
        id: line.id,
        kind: 'BANK_TRANSACTION',
        reason: 'UNMATCHED_PAYMENT',
        openedAt: line.reviewOpenedAt!.toISOString(),
        amount: '42000',
        description: line.description,
        transactionTime: line.transactionTime.toISOString(),
        transaction: { id: line.id, refNo: line.refNo, matched: false, matchedOrder: null, account: { id: line.bankAccountId } },
      },
    ]);
  });

  it('pages by a stable cursor: oldest first, ties by id, forwards and backwards, whatever is resolved meanwhile', async () => {
    const merchant = await createMerchant(t.app);
    const base = Date.now() - 60_000;
    // Two items opened in the same millisecond: the id decides.
    const tied = new Date(base + 2_000);
    const first = await cardInReview(t, merchant, 10_000n, new Date(base));
    const second = await lineInReview(t, merchant, 11_000, new Date(base + 1_000));
    const tiedA = await cardInReview(t, merchant, 20_000n, tied);
    const tiedB = await lineInReview(t, merchant, 12_000, tied);
    const last = await cardInReview(t, merchant, 30_000n, new Date(base + 3_000));
    const expected = [first.id, second.id, ...[tiedA.id, tiedB.id].sort(), last.id];

    const one = await queue(merchant, { first: 2 });
    expect(idsOf(one)).toEqual(expected.slice(0, 2));
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(one.totalCount).toBe(5);

    // The first item is resolved while the person reads page one: page two still starts where page one ended.
    await t.app.db.prisma.cardCharge.update({ where: { id: first.id }, data: { reviewOpenedAt: null } });
    const two = await queue(merchant, { first: 2, after: one.pageInfo.endCursor });
    expect(idsOf(two)).toEqual(expected.slice(2, 4));
    expect(two.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(two.totalCount).toBe(4);
    const three = await queue(merchant, { first: 2, after: two.pageInfo.endCursor });
    expect(idsOf(three)).toEqual(expected.slice(4));
    expect(three.pageInfo.hasNextPage).toBe(false);

    const backwards = await queue(merchant, { last: 2, before: three.pageInfo.startCursor });
    expect(idsOf(backwards)).toEqual(expected.slice(2, 4));
    expect(backwards.pageInfo.hasPreviousPage).toBe(true);
    const newest = await queue(merchant, { last: 2 });
    expect(idsOf(newest)).toEqual(expected.slice(3));
  });

  it('filters by kind and reason, counting the filtered queue', async () => {
    const merchant = await createMerchant(t.app);
    const order = await underpaidBankOrder(t, merchant);
    const card = await cardInReview(t, merchant);
    const line = await lineInReview(t, merchant, 5_000);

    const cards = await queue(merchant, { filter: { kind: ['CARD_CHARGE'] } });
    expect([idsOf(cards), cards.totalCount]).toEqual([[card.id], 1]);
    const money = await queue(merchant, { filter: { kind: ['ORDER', 'BANK_TRANSACTION'] } });
    expect([idsOf(money), money.totalCount]).toEqual([[order.id, line.id], 2]);
    const underpaid = await queue(merchant, { filter: { reason: ['UNDERPAID', 'CONTRADICTED'] } });
    expect([idsOf(underpaid), underpaid.totalCount]).toEqual([[order.id], 1]);
    const none = await queue(merchant, { filter: { kind: ['CARD_CHARGE'], reason: ['UNMATCHED_PAYMENT'] } });
    expect([idsOf(none), none.totalCount]).toEqual([[], 0]);
  });

  it("shows a merchant its own queue only, and refuses a cursor it did not give", async () => {
    const owner = await createMerchant(t.app);
    await cardInReview(t, owner);
    await lineInReview(t, owner, 7_000);
    const other = await createMerchant(t.app);
    const theirs = await queue(other, { first: 10 });
    expect([theirs.edges, theirs.totalCount]).toEqual([[], 0]);

    const forged = await gql(t.url, REVIEW_QUEUE, { first: 1, after: Buffer.from('OffsetConnection:3').toString('base64') }, owner.apiKey);
    expect(forged.errors?.[0]).toMatchObject({ message: expect.stringContaining('not a reviewQueue cursor'), extensions: { code: 'BAD_USER_INPUT' } });
    const anonymous = await gql(t.url, REVIEW_QUEUE, { first: 1 });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('reading the review queue with the objects and their relations', () => {
  let t: TestApp;
  let merchant: Merchant;

  beforeAll(async () => {
    // No workers: nothing but the request under test talks to the database.
    t = await startTestApp({ WORKERS: 'false' });
    merchant = await createMerchant(t.app);
    const prisma = t.app.db.prisma;
    const account = await prisma.bankAccount.create({ data: { merchantId: merchant.merchantId, providerAccountId: 'nplus1', bankCode: 'MBBANK', accountNumber: '0001' } });
    // Rows written directly (how they got there does not matter for the statement count), the kinds interleaved in time so every page holds each kind.
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 30; i++) {
      const at = (k: number) => new Date(base + (3 * i + k) * 1_000);
      const order = await prisma.order.create({
        data: { merchantId: merchant.merchantId, provider: 'APINGANHANG', kind: 'BANK_TRANSFER', amount: 100_000n, settledAmount: 90_000n, requestId: `PGNPLUSREV${i}`, status: 'NEEDS_REVIEW', reviewReason: 'UNDERPAID', reviewOpenedAt: at(0), submitted: true },
      });
      await prisma.orderEvent.createMany({
        data: [
          { orderId: order.id, merchantId: merchant.merchantId, toStatus: 'PENDING', cause: 'API', actor: 'test' },
          { orderId: order.id, merchantId: merchant.merchantId, fromStatus: 'PENDING', toStatus: 'NEEDS_REVIEW', cause: 'MATCH', actor: 'test' },
        ],
      });
      const charge = await prisma.cardCharge.create({
        data: { merchantId: merchant.merchantId, telco: 'VIETTEL', declaredValue: 50_000n, requestId: `CARDNPLUS${i}`, sealedCard: 'sealed', maskedCode: '…0001', maskedSerial: '…0002', status: 'NEEDS_REVIEW', reviewReason: 'UNCONFIRMED_OUTCOME', reviewOpenedAt: at(1) },
      });
      await prisma.cardChargeEvent.create({ data: { cardChargeId: charge.id, toStatus: 'PENDING', cause: 'API', actor: 'test' } });
      await prisma.bankTransaction.create({
        data: {
          merchantId: merchant.merchantId,
          bankAccountId: account.id,
          bank: 'MBBANK',
          refNo: `NPLUS${i}`,
          amount: 20_000n,
          direction: 'IN',
          transactionTime: at(2),
          source: 'POLL',
          matchedOrderId: order.id,
          matchCheckedAt: at(2),
          reviewReason: 'DUPLICATE_PAYMENT',
          reviewOpenedAt: at(2),
        },
      });
    }
  });
  afterAll(() => t.stop());

  const PAGE = `query($first: Int!) { reviewQueue(first: $first) { totalCount edges { cursor node {
    __typename id kind reason openedAt
    ... on OrderReview { expectedAmount settledAmount order { id events { id toStatus } bankTransactions { id } } }
    ... on CardChargeReview { declaredValue cardCharge { id events { id toStatus } } }
    ... on TransactionReview { amount transaction { id account { id bankCode } matchedOrder { id events { id } } } }
  } } } }`;

  async function statementsFor(first: number) {
    const { result: response, statements } = await statementsDuring(t.app, () => gql(t.url, PAGE, { first }, merchant.apiKey));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const nodes = response.data.reviewQueue.edges.map((edge: { node: any }) => edge.node);
    expect(nodes).toHaveLength(first);
    expect(new Set(nodes.map((node: { kind: string }) => node.kind)).size).toBe(3);
    expect(nodes.filter((node: any) => node.kind === 'ORDER').every((node: any) => node.order.events.length === 2 && node.order.bankTransactions.length === 1)).toBe(true);
    expect(nodes.filter((node: any) => node.kind === 'BANK_TRANSACTION').every((node: any) => node.transaction.account.bankCode === 'MBBANK' && node.transaction.matchedOrder.events.length === 2)).toBe(true);
    return statements;
  }

  it('issues the same number of SQL statements for a page of 6 as for a page of 90', async () => {
    // Both counted with the key already known to the instance (it caches valid keys): like with like.
    await gql(t.url, '{ merchant { id } }', {}, merchant.apiKey);
    const small = await statementsFor(6);
    const large = await statementsFor(90);
    const list = (statements: string[]) => statements.map((sql, i) => `${i + 1}. ${sql.slice(0, 160)}`).join('\n');
    expect(large.length, `6 items:\n${list(small)}\n90 items:\n${list(large)}`).toBe(small.length);
    // The key lookup, one read per kind, one per relation selected (6), one count per kind: the objects come with the page, not read again.
    expect(large.length, list(large)).toBeLessThanOrEqual(1 + 3 + 6 + 3);
  });
});
