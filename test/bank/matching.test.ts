// Bank-transfer orders paid by the payer's transfer, end to end: GraphQL over
// HTTP, the fake bank's statement and its signed webhook over HTTP, the
// statement import, and a subscriber over graphql-ws.
import { describe, expect, it } from 'vitest';
import { createMerchant, gql, subscribe, wsClient } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { orderFromDb, ORDER_UPDATED, isOutcome } from '../support/orders.js';
import { bankLine, bankOrder, createBankTransferOrder, demoAccount, newOrder, postWebhook, signedWebhook, syncStatement, TRANSACTION_FIELDS } from './support.js';

describe('bank-transfer orders matched against the statement', () => {
  // No workers: every import below is the test's own syncBankStatement or a webhook.
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  const rowsOf = (orderId: string) => t.app.db.prisma.bankTransaction.findMany({ where: { matchedOrderId: orderId }, orderBy: { transactionTime: 'asc' } });

  it('shows the account, the amount and a short transfer code to the payer', async () => {
    const account = await demoAccount(t.url, merchant.apiKey);
    const created = await createBankTransferOrder(t.url, merchant.apiKey, { amount: '250000', bankAccountId: account.id, idempotencyKey: 'show-1', merchantReference: 'INV-7', expiresInMinutes: 20 });
    expect(created.__typename).toBe('MutationCreateBankTransferOrderSuccess');
    const order = created.data;
    expect(order).toMatchObject({ status: 'PENDING', kind: 'BANK_TRANSFER', provider: 'APINGANHANG', amount: '250000' });
    expect(order.requestId).toMatch(/^PG[A-HJKMNP-Z2-9]{8}$/);
    expect(order.instructions).toMatchObject({ bankCode: 'MBBANK', accountNumber: '0368492618', accountName: 'NGUYEN VAN A', amount: '250000', transferContent: order.requestId });
    expect(new Date(order.instructions.expiresAt).getTime() - Date.now()).toBeGreaterThan(19 * 60_000);
    expect(order.events).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'PENDING', cause: 'API' })]);

    // The same key gives the same order; another input with it is refused.
    const again = await createBankTransferOrder(t.url, merchant.apiKey, { amount: '250000', bankAccountId: account.id, idempotencyKey: 'show-1', merchantReference: 'INV-7', expiresInMinutes: 20 });
    expect(again.data.id).toBe(order.id);
    const reused = await createBankTransferOrder(t.url, merchant.apiKey, { amount: '1', bankAccountId: account.id, idempotencyKey: 'show-1' });
    expect(reused.__typename).toBe('IdempotencyKeyReusedError');
    const stored = await t.app.db.prisma.order.findMany({ where: { merchantId: merchant.merchantId, requestId: order.requestId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.submitted).toBe(true);
  });

  it('refuses an account that is not yours and a bad amount, creating nothing', async () => {
    const other = await createMerchant(t.app, 'Other');
    const theirs = await demoAccount(t.url, other.apiKey);
    const notMine = await createBankTransferOrder(t.url, merchant.apiKey, { amount: '1000', bankAccountId: theirs.id, idempotencyKey: 'not-mine' });
    expect(notMine).toMatchObject({ __typename: 'NotFoundError' });
    const zero = await createBankTransferOrder(t.url, merchant.apiKey, { amount: '0', bankAccountId: theirs.id, idempotencyKey: 'zero' });
    expect(zero).toMatchObject({ __typename: 'ValidationError', field: 'amount' });
    // The same text rules as every other order: no control characters in what is stored and shown.
    const mine = await demoAccount(t.url, merchant.apiKey);
    const control = await createBankTransferOrder(t.url, merchant.apiKey, { amount: '1000', bankAccountId: mine.id, idempotencyKey: 'control', merchantReference: 'INV\u00008' });
    expect(control).toMatchObject({ __typename: 'ValidationError', field: 'merchantReference' });
    expect(await t.app.db.prisma.idempotencyKey.count({ where: { merchantId: merchant.merchantId, key: { in: ['not-mine', 'zero', 'control'] } } })).toBe(0);
  });

  it('pays an order when the exact amount arrives with its code, however the bank spells it', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '150000', 'exact');
    const spaced = `${order.requestId.slice(0, 2).toLowerCase()} ${order.requestId.slice(2, 6)}-${order.requestId.slice(6).toLowerCase()}`;
    const line = await bankLine(t.app, { amount: 150_000, description: `MBVCB.3312.Thanh toán đơn ${spaced}.CT từ 0123 Nguyễn Văn Bình` });
    const summary = await syncStatement(t.url, merchant.apiKey);
    expect(summary.settled).toBe(1);

    const paid = await bankOrder(t.url, merchant.apiKey, order.id);
    expect(paid.status).toBe('SUCCEEDED');
    expect(paid.settledAmount).toBeNull();
    expect(paid.bankTransactions).toEqual([{ id: expect.any(String), refNo: line.ref_no, amount: '150000', matchNote: null }]);
    expect(paid.events.map((e: { toStatus: string; cause: string; actor: string }) => [e.toStatus, e.cause])).toEqual([
      ['PENDING', 'API'],
      ['SUCCEEDED', 'MATCH'],
    ]);
    expect(paid.events[1].actor).toMatch(/^api-key:/);

    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events[1]!.payload).toMatchObject({ refNo: line.ref_no, amount: '150000' });
    const rows = await rowsOf(order.id);
    expect(rows.map((r) => [r.refNo, r.direction, r.amount, r.source, r.matchNote])).toEqual([[line.ref_no, 'IN', 150_000n, 'POLL', null]]);
  });

  it.each([
    ['underpaid', 100_000, 'UNDERPAID'],
    ['overpaid', 200_000, 'OVERPAID'],
  ] as const)('sends an %s order to review with both amounts', async (key, paidAmount, reason) => {
    const order = await newOrder(t.url, merchant.apiKey, '150000', key);
    await bankLine(t.app, { amount: paidAmount, description: `CK ${order.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    const reviewed = await bankOrder(t.url, merchant.apiKey, order.id);
    expect(reviewed).toMatchObject({ status: 'NEEDS_REVIEW', amount: '150000', settledAmount: String(paidAmount), reviewReason: reason });
    expect(reviewed.events.at(-1)).toMatchObject({ toStatus: 'NEEDS_REVIEW', cause: 'MATCH' });
    expect(reviewed.events.at(-1).note).toContain(String(paidAmount));
    expect(reviewed.bankTransactions).toHaveLength(1);
    const stored = await t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect([stored.amount, stored.settledAmount, stored.reviewReason]).toEqual([150_000n, BigInt(paidAmount), reason]);
  });

  it('keeps a transfer that names no order, unmatched and visible', async () => {
    const line = await bankLine(t.app, { amount: 42_000, description: 'Tiền ăn trưa chị Hoa' });
    await syncStatement(t.url, merchant.apiKey);
    const response = await gql(
      t.url,
      `query($filter: TransactionFilter) { transactions(filter: $filter, first: 50) { edges { node { ${TRANSACTION_FIELDS} } } totals { totalIn count } } }`,
      { filter: { matched: false, search: 'ăn trưa' } },
      merchant.apiKey,
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data.transactions.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toEqual([
      expect.objectContaining({ refNo: line.ref_no, amount: '42000', direction: 'IN', matched: false, matchedOrder: null, matchNote: null, description: 'Tiền ăn trưa chị Hoa', source: 'POLL', account: expect.objectContaining({ accountNumber: '0368492618' }) }),
    ]);
    expect(response.data.transactions.totals).toEqual({ totalIn: '42000', count: 1 });
  });

  it('stores a description with control characters PostgreSQL refuses, and still matches its code', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '33000', 'nul');
    const line = await bankLine(t.app, { amount: 33_000, description: `CK\u0000${order.requestId}\u0007 xong` });
    await syncStatement(t.url, merchant.apiKey);
    const row = await t.app.db.prisma.bankTransaction.findFirstOrThrow({ where: { merchantId: merchant.merchantId, refNo: line.ref_no } });
    expect(row.description).toBe(`CK ${order.requestId}  xong`);
    expect((await orderFromDb(t.app, order.id)).status).toBe('SUCCEEDED');
  });

  it('never lets money going out pay an order', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '70000', 'outgoing');
    await bankLine(t.app, { direction: 'out', amount: 70_000, description: `hoan tien ${order.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    expect((await bankOrder(t.url, merchant.apiKey, order.id)).status).toBe('PENDING');
  });

  it('pays only the one of two named orders that asks exactly that amount, and none when the amount does not decide', async () => {
    const a = await newOrder(t.url, merchant.apiKey, '111000', 'two-a');
    const b = await newOrder(t.url, merchant.apiKey, '222000', 'two-b');
    const decisive = await bankLine(t.app, { amount: 222_000, description: `don ${a.requestId} va ${b.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    expect((await bankOrder(t.url, merchant.apiKey, a.id)).status).toBe('PENDING');
    expect((await bankOrder(t.url, merchant.apiKey, b.id)).bankTransactions.map((x: { refNo: string }) => x.refNo)).toEqual([decisive.ref_no]);
    expect((await bankOrder(t.url, merchant.apiKey, b.id)).status).toBe('SUCCEEDED');

    const c = await newOrder(t.url, merchant.apiKey, '50000', 'two-c');
    const d = await newOrder(t.url, merchant.apiKey, '50000', 'two-d');
    const unclear = await bankLine(t.app, { amount: 50_000, description: `${c.requestId} ${d.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    for (const order of [c, d]) {
      const now = await bankOrder(t.url, merchant.apiKey, order.id);
      expect(now.status).toBe('PENDING');
      expect(now.bankTransactions).toEqual([]);
    }
    const row = await t.app.db.prisma.bankTransaction.findFirstOrThrow({ where: { merchantId: merchant.merchantId, refNo: unclear.ref_no } });
    expect(row.matchedOrderId).toBeNull();
    expect(row.matchNote).toMatch(/ambiguous/);
    expect(row.matchNote).toContain(c.id);
    expect(row.matchNote).toContain(d.id);
  });

  it('shows a second transfer for a paid order as an extra, never paying anything twice', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '90000', 'twice');
    const first = await bankLine(t.app, { amount: 90_000, description: order.requestId, at: new Date(Date.now() - 60_000).toISOString() });
    const second = await bankLine(t.app, { amount: 90_000, description: `${order.requestId} lan 2` });
    await syncStatement(t.url, merchant.apiKey);
    const paid = await bankOrder(t.url, merchant.apiKey, order.id);
    expect(paid.status).toBe('SUCCEEDED');
    expect(paid.events.filter((e: { toStatus: string }) => e.toStatus === 'SUCCEEDED')).toHaveLength(1);
    expect(paid.bankTransactions.map((x: { refNo: string; matchNote: string | null }) => [x.refNo, x.matchNote === null])).toEqual([
      [first.ref_no, true],
      [second.ref_no, false],
    ]);
    expect(paid.bankTransactions[1].matchNote).toMatch(/extra payment/);
  });

  it('pays through the signed webhook, and a later poll of the same transfer adds no row', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '120000', 'webhook-first');
    const line = await bankLine(t.app, { amount: 120_000, description: `TT ${order.requestId}`, order_code: order.requestId, webhook: 'duplicate' });
    await t.app.sandbox!.idle();
    const viaWebhook = await orderFromDb(t.app, order.id);
    expect(viaWebhook.status).toBe('SUCCEEDED');
    expect(viaWebhook.events.at(-1)!.actor).toBe('callback:apinganhang@127.0.0.1');
    let rows = await rowsOf(order.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'WEBHOOK', description: '', providerId: null, providerOrderCode: order.requestId });

    await syncStatement(t.url, merchant.apiKey);
    rows = await t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId, refNo: line.ref_no } });
    expect(rows).toHaveLength(1);
    // The poll filled in what the webhook does not carry.
    expect(rows[0]).toMatchObject({ source: 'WEBHOOK', description: `TT ${order.requestId}`, providerId: String(line.id), matchedOrderId: order.id, balanceAfter: expect.any(BigInt) });
    expect(rows[0]!.bankAccountId).not.toBeNull();
    expect((await orderFromDb(t.app, order.id)).events).toHaveLength(2);
    // Keyed on the signed trans_id alone (the bank is not signed).
    const inbox = await t.app.db.prisma.callbackInbox.findMany({ where: { merchantId: merchant.merchantId, eventKey: `transaction.confirmed:${line.ref_no}` } });
    expect(inbox.map((row) => row.status)).toEqual(['PROCESSED']);
  });

  it('adds no row when the webhook comes after the poll', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '130000', 'poll-first');
    const line = await bankLine(t.app, { amount: 130_000, description: `TT ${order.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    expect((await orderFromDb(t.app, order.id)).status).toBe('SUCCEEDED');
    const late = await postWebhook(t.url, signedWebhook({ order_code: order.requestId, amount: 130_000, trans_id: line.ref_no, paid_at: line.created_at }));
    expect(late).toEqual({ status: 200, body: '{"received":true}' });
    const rows = await t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId, refNo: line.ref_no } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'POLL', providerOrderCode: order.requestId, matchedOrderId: order.id, matchNote: null });
    expect((await orderFromDb(t.app, order.id)).events).toHaveLength(2);
  });

  it('makes one row and one payment when imports and the webhook race', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '88000', 'race');
    const line = await bankLine(t.app, { amount: 88_000, description: `race ${order.requestId}`, order_code: order.requestId, webhook: 'duplicate' });
    const webhook = signedWebhook({ order_code: order.requestId, amount: 88_000, trans_id: line.ref_no, paid_at: line.created_at });
    const replies = await Promise.all([
      syncStatement(t.url, merchant.apiKey),
      postWebhook(t.url, webhook),
      syncStatement(t.url, merchant.apiKey),
      postWebhook(t.url, webhook),
      syncStatement(t.url, merchant.apiKey),
    ]);
    await t.app.sandbox!.idle();
    expect(replies.filter((r) => 'status' in r).map((r) => (r as { status: number }).status)).toEqual([200, 200]);
    const rows = await t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId, refNo: line.ref_no } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ matchedOrderId: order.id, matchNote: null, providerId: String(line.id) });
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
  });

  it('refuses a forged webhook with 403 and writes nothing', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '500000', 'forged');
    const before = { rows: await t.app.db.prisma.bankTransaction.count(), inbox: await t.app.db.prisma.callbackInbox.count() };
    const fields = { order_code: order.requestId, amount: 500_000, trans_id: 'FT-FORGED-1', paid_at: Math.floor(Date.now() / 1000) };
    const wrongSecret = await postWebhook(t.url, signedWebhook(fields, 'not-the-secret'));
    expect(wrongSecret).toEqual({ status: 403, body: 'Invalid signature' });
    // A genuine signature over other values, with the amount changed afterwards.
    const tampered = JSON.parse(signedWebhook({ ...fields, amount: 1_000 }));
    const bumped = await postWebhook(t.url, JSON.stringify({ ...tampered, amount: 500_000 }));
    expect(bumped.status).toBe(403);
    expect({ rows: await t.app.db.prisma.bankTransaction.count(), inbox: await t.app.db.prisma.callbackInbox.count() }).toEqual(before);
    expect((await orderFromDb(t.app, order.id)).status).toBe('PENDING');
    // And one for an order nobody knows cannot even be checked: 404, nothing written.
    const unknown = await postWebhook(t.url, signedWebhook({ ...fields, order_code: 'PGZZZZZZZZ' }));
    expect(unknown.status).toBe(404);
    expect(await t.app.db.prisma.bankTransaction.count()).toBe(before.rows);
  });

  it("shows a subscriber the order succeed, and the statement line arrive, after the payer's transfer", async () => {
    const order = await newOrder(t.url, merchant.apiKey, '175000', 'live');
    const account = await demoAccount(t.url, merchant.apiKey);
    const client = wsClient(t.url, merchant.apiKey);
    // The line feed first: it is live before orderUpdated's first message, which needs a database read after its own start.
    const lines = subscribe(client, `subscription($accountId: ID) { transactionReceived(accountId: $accountId) { refNo amount matchedOrder { id status } } }`, { accountId: account.id });
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      // The payer pays now.
      const line = await bankLine(t.app, { amount: 175_000, description: `Thanh toan ${order.requestId}`, order_code: order.requestId });
      const paid = await updates.next((m) => isOutcome(m.orderUpdated.status));
      expect(paid.orderUpdated.status).toBe('SUCCEEDED');
      expect(paid.orderUpdated.events.map((e: { cause: string }) => e.cause)).toEqual(['API', 'MATCH']);
      const arrived = await lines.next((m) => m.transactionReceived.refNo === line.ref_no);
      expect(arrived.transactionReceived).toEqual({ refNo: line.ref_no, amount: '175000', matchedOrder: { id: order.id, status: 'SUCCEEDED' } });
    } finally {
      updates.dispose();
      lines.dispose();
      await client.dispose();
    }
    await t.app.sandbox!.idle();
    expect((await orderFromDb(t.app, order.id)).status).toBe('SUCCEEDED');
  });

  it('exports the filtered statement as CSV that Excel reads as UTF-8', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '64000', 'csv');
    await bankLine(t.app, { amount: 64_000, description: `Đặt cọc ${order.requestId}, "phòng 2"` });
    await syncStatement(t.url, merchant.apiKey);
    const response = await gql(t.url, `query($filter: TransactionFilter) { transactionsCsv(filter: $filter) }`, { filter: { search: order.requestId } }, merchant.apiKey);
    expect(response.errors).toBeUndefined();
    const csv: string = response.data.transactionsCsv;
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Thời gian,Ngân hàng,Số tài khoản,Mã GD,Nội dung,Loại,Số tiền,Số dư sau,Mã đơn,Đơn của bạn');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"Đặt cọc ${order.requestId}, ""phòng 2"""`);
    expect(lines[1]).toContain(',Tiền vào,64000,');
    expect(lines[1]).toContain(`,${order.requestId},`);
  });

  it('exports a payer\'s formula as text a spreadsheet will not run (OWASP), and amounts as numbers', async () => {
    const tag = `csvinj${Date.now()}`;
    for (const description of [`=HYPERLINK("http://evil.example")&"${tag}"`, `+${tag}`, `-${tag}`, `@${tag}`, `\t=${tag}`]) await bankLine(t.app, { amount: 1_000, description });
    await bankLine(t.app, { direction: 'out', amount: 2_000, description: `${tag} out` });
    await syncStatement(t.url, merchant.apiKey);
    const response = await gql(t.url, `query($filter: TransactionFilter) { transactionsCsv(filter: $filter) }`, { filter: { search: tag } }, merchant.apiKey);
    const cells = (response.data.transactionsCsv as string).slice(1).trimEnd().split('\r\n').slice(1).map((line) => line.split(','));
    const descriptions = cells.map((line) => line.find((cell) => cell.includes(tag))!);
    for (const cell of descriptions.filter((d) => !d.endsWith(' out'))) expect(cell).toMatch(/^"?'/);
    expect(cells.some((line) => line.includes('-2000'))).toBe(true);
  });

  it('totals in, out and net over the whole filter, not the page', async () => {
    const m = await createMerchant(t.app, 'Totals');
    // Same fake bank as every sandbox merchant: count only what this merchant imports from now on.
    await syncStatement(t.url, m.apiKey);
    // The statement prints whole seconds.
    const from = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    await bankLine(t.app, { amount: 300_000, description: 'totals in 1' });
    await bankLine(t.app, { amount: 200_000, description: 'totals in 2' });
    await bankLine(t.app, { direction: 'out', amount: 120_000, description: 'totals out' });
    await syncStatement(t.url, m.apiKey);
    const response = await gql(
      t.url,
      `query($filter: TransactionFilter) { transactions(filter: $filter, first: 1) { edges { node { amount } } pageInfo { hasNextPage } totals { totalIn totalOut net count } } }`,
      { filter: { search: 'totals', from } },
      m.apiKey,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.transactions.edges).toHaveLength(1);
    expect(response.data.transactions.pageInfo.hasNextPage).toBe(true);
    expect(response.data.transactions.totals).toEqual({ totalIn: '500000', totalOut: '120000', net: '380000', count: 3 });
    const outOnly = await gql(t.url, `query($filter: TransactionFilter) { transactions(filter: $filter) { edges { node { amount direction } } totals { net } } }`, { filter: { search: 'totals', direction: 'OUT' } }, m.apiKey);
    expect(outOnly.data.transactions.edges.map((e: { node: unknown }) => e.node)).toEqual([{ amount: '-120000', direction: 'OUT' }]);
    expect(outOnly.data.transactions.totals.net).toBe('-120000');
  });
});
