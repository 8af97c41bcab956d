// Orders through the Payment Hub (SharkPay, WowPay) and VNKash, end to end
// against the sandbox, plus the cross-provider parts of the order API.
import { describe, expect, it } from 'vitest';
import { createMerchant, gql } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { ORDER_FIELDS, orderFromDb, sandboxControl, waitForStatus } from '../support/orders.js';

const result = (name: string) => `{ __typename ... on Mutation${name}Success { data { ${ORDER_FIELDS} } } ... on Error { message } ... on ValidationError { field } ... on ProviderRefusedError { code } }`;

describe('Payment Hub and VNKash orders', () => {
  const { t, merchant } = useTestApp();

  async function mutate(name: string, input: Record<string, unknown>) {
    const field = name[0]!.toLowerCase() + name.slice(1);
    const response = await gql(t.url, `mutation($input: ${name}Input!) { ${field}(input: $input) ${result(name)} }`, { input }, merchant.apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data[field];
  }

  it('collects through SharkPay: a signed callback, confirmed by the query, succeeds the order once', async () => {
    const created = await mutate('CreateHubPayin', { gateway: 'SHARKPAY', amount: '300000', idempotencyKey: 'shark-1' });
    expect(created.__typename).toBe('MutationCreateHubPayinSuccess');
    const order = created.data;
    expect(order.providerReference).toBeTruthy();
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'succeed', callback: 'duplicate' });
    expect(await waitForStatus(t.app, order.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
    await t.app.sandbox!.idle();
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.events.map((e) => [e.toStatus, e.cause])).toEqual([
      ['PENDING', 'API'],
      ['SUCCEEDED', 'CALLBACK'],
    ]);
    const deliveries = await t.app.db.prisma.callbackInbox.count({ where: { orderId: order.id } });
    expect(deliveries).toBe(1);
  });

  it('refuses a SharkPay callback whose sign is wrong with 403 INVALID_SIGN, changing nothing', async () => {
    const { data: order } = await mutate('CreateHubPayin', { gateway: 'SHARKPAY', amount: '310000', idempotencyKey: 'shark-forged' });
    const forged = new URLSearchParams({ mch_id: 'SP-SANDBOX', mch_order_no: order.requestId, order_no: order.providerReference, amount: '310000', status: 'SUCCESS', sign: 'ABCDEF0123456789ABCDEF0123456789' });
    const response = await fetch(`${t.url}/callbacks/sharkpay?${forged}`);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('INVALID_SIGN');
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('PENDING');
    expect(await t.app.db.prisma.callbackInbox.count({ where: { orderId: order.id } })).toBe(0);
  });

  it('fails a WowPay pay-in the gateway reports failed, and will not regress it afterwards', async () => {
    const { data: order } = await mutate('CreateHubPayin', { gateway: 'WOWPAY', amount: '320000', channel: 'bankcard_qr', idempotencyKey: 'wow-1' });
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'wowpay', outcome: 'fail', callback: 'out-of-order' });
    expect(await waitForStatus(t.app, order.id, ['FAILED'])).toBe('FAILED');
    await t.app.sandbox!.idle();
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('FAILED');
    expect(stored.events).toHaveLength(2);
  });

  it('collects a VNKash deposit with the transfer details to show the payer', async () => {
    const created = await mutate('CreateVnKashDeposit', { payment: 'VCB', amount: '500000', idempotencyKey: 'vk-dep' });
    expect(created.__typename).toBe('MutationCreateVnKashDepositSuccess');
    const order = created.data;
    expect(order.instructions.accountNumber).toBeTruthy();
    expect(order.instructions.transferContent).toBeTruthy();
    await sandboxControl(t.app, 'vnkash', 'settle', { kind: 'deposit', id: Number(order.providerReference), outcome: 'succeed', callback: 'once' });
    expect(await waitForStatus(t.app, order.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
  });

  it('completes a VNKash transfer at once, and refuses a decimal-free but too-small withdrawal as the provider says', async () => {
    const transfer = await mutate('CreateVnKashTransfer', { account: '840909090909', amount: '100000', idempotencyKey: 'vk-transfer', description: 'Mua hang' });
    expect(transfer.__typename).toBe('MutationCreateVnKashTransferSuccess');
    expect(transfer.data.status).toBe('SUCCEEDED');

    const withdrawal = await mutate('CreateVnKashWithdrawal', { amount: '1000', idempotencyKey: 'vk-small', payee: { accountNumber: '0102030405', accountName: 'LE DUONG SY MY', bankCode: 'DAB' } });
    expect(['ProviderRefusedError', 'ValidationError']).toContain(withdrawal.__typename);
  });

  it('refuses an AZConnectPay cash-out below 100 000 đồng before calling anyone', async () => {
    const before = await t.app.db.prisma.order.count();
    const response = await mutate('CreateCashOut', { method: 'BANK', amount: '99999', idempotencyKey: 'small-out', payee: { accountNumber: '321321321321', accountName: 'NGUYEN VAN A', bankCode: 'VCB' } });
    expect(response.__typename).toBe('ValidationError');
    expect(response.field).toBe('amount');
    expect(await t.app.db.prisma.order.count()).toBe(before);
  });

  it('pays out through AZConnectPay and settles by polling on refreshOrder', async () => {
    const { data: order } = await mutate('CreateCashOut', { method: 'BANK', amount: '100000', idempotencyKey: 'payout-1', payee: { accountNumber: '321321321321', accountName: 'NGUYEN VAN A', bankCode: 'VCB' } });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-out', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
    const refreshed = await gql(t.url, `mutation($id: ID!) { refreshOrder(id: $id) { __typename ... on MutationRefreshOrderSuccess { data { status events { toStatus cause } } } } }`, { id: order.id }, merchant.apiKey);
    expect(refreshed.data.refreshOrder.data.status).toBe('SUCCEEDED');
    expect(refreshed.data.refreshOrder.data.events.at(-1)).toEqual({ toStatus: 'SUCCEEDED', cause: 'POLL' });
  });

  it('says plainly that AZConnectPay cannot cancel an order', async () => {
    const { data: order } = await mutate('CreateCashIn', { method: 'MOMO', amount: '50000', idempotencyKey: 'no-cancel' });
    expect(order.instructions.deepLink).toMatch(/^momo:/);
    const cancelled = await gql(t.url, `mutation($id: ID!) { cancelOrder(id: $id) { __typename } }`, { id: order.id }, merchant.apiKey);
    expect(cancelled.data.cancelOrder.__typename).toBe('ProviderNotSupportedError');
  });

  it('lists orders newest first, filters them, and pages with cursors', async () => {
    const other = await createMerchant(t.app);
    for (let i = 0; i < 5; i++) {
      const response = await gql(t.url, `mutation($input: CreateCashInInput!) { createCashIn(input: $input) { __typename } }`, { input: { method: 'BANK', amount: String(60000 + i), idempotencyKey: `page-${i}`, merchantReference: `PAGE-${i}` } }, other.apiKey);
      expect(response.data.createCashIn.__typename).toBe('MutationCreateCashInSuccess');
    }
    const query = `query($first: Int, $after: String, $filter: OrderFilter) { orders(first: $first, after: $after, filter: $filter) { edges { cursor node { merchantReference amount } } pageInfo { hasNextPage endCursor } } }`;
    const page1 = await gql(t.url, query, { first: 2 }, other.apiKey);
    expect(page1.data.orders.edges.map((e: any) => e.node.merchantReference)).toEqual(['PAGE-4', 'PAGE-3']);
    expect(page1.data.orders.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(t.url, query, { first: 2, after: page1.data.orders.pageInfo.endCursor }, other.apiKey);
    expect(page2.data.orders.edges.map((e: any) => e.node.merchantReference)).toEqual(['PAGE-2', 'PAGE-1']);
    const filtered = await gql(t.url, query, { first: 10, filter: { reference: 'page-3', provider: ['AZCONNECTPAY'], status: ['PENDING'] } }, other.apiKey);
    expect(filtered.data.orders.edges.map((e: any) => e.node.merchantReference)).toEqual(['PAGE-3']);
    // Another merchant's orders are invisible, by list and by id.
    const mine = await gql(t.url, query, { first: 100 }, merchant.apiKey);
    expect(mine.data.orders.edges.some((e: any) => e.node.merchantReference?.startsWith('PAGE-'))).toBe(false);
    const theirs = await t.app.db.prisma.order.findFirstOrThrow({ where: { merchantId: other.merchantId } });
    expect((await gql(t.url, `query($id: ID!) { order(id: $id) { id } }`, { id: theirs.id }, merchant.apiKey)).data.order).toBeNull();
  });
});

describe('provider reads', () => {
  const { t, merchant } = useTestApp();

  it('lists AZConnectPay banks from the provider', async () => {
    const response = await gql(t.url, `{ azConnectPayBanks { __typename ... on QueryAzConnectPayBanksSuccess { data { source banks { code name } } } } }`, {}, merchant.apiKey);
    const list = response.data.azConnectPayBanks.data;
    expect(list.source).toBe('PROVIDER');
    expect(list.banks).toContainEqual({ code: 'VCB', name: 'Vietcombank' });
  });

  it('reads the VNKash balance and looks up names and bank accounts', async () => {
    const balance = await gql(t.url, `{ vnKashBalance { ... on QueryVnKashBalanceSuccess { data { currency balance } } } }`, {}, merchant.apiKey);
    expect(balance.data.vnKashBalance.data[0].currency).toBe('VND');
    expect(BigInt(balance.data.vnKashBalance.data[0].balance)).toBeGreaterThan(0n);
    const name = await gql(t.url, `{ vnKashLookupName(account: "840909090909") { __typename ... on QueryVnKashLookupNameSuccess { data { name } } } }`, {}, merchant.apiKey);
    expect(name.data.vnKashLookupName.data.name).toBe('Nguyen Hong Duc');
    const bank = await gql(t.url, `{ vnKashLookupBankAccount(payment: DAB, account: "0102030405") { ... on QueryVnKashLookupBankAccountSuccess { data { name } } } }`, {}, merchant.apiKey);
    expect(bank.data.vnKashLookupBankAccount.data.name).toBe('LE DUONG SY MY');
  });

  it('turns a provider refusal of a lookup into a typed error with the document’s meaning', async () => {
    const unknown = await gql(t.url, `{ vnKashLookupName(account: "nobody@example.vn") { __typename ... on ProviderRefusedError { code message } } }`, {}, merchant.apiKey);
    expect(unknown.data.vnKashLookupName).toMatchObject({ __typename: 'ProviderRefusedError', code: '1' });
    expect(unknown.data.vnKashLookupName.message).toMatch(/does not exist/i);
  });
});
