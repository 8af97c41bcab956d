// Provider operations that are not about an order, end to end over real HTTP
// against the in-process sandbox: Payment Hub settings (masked read, save with
// an empty secret keeping the stored one, the gateway test), one transaction
// by id, dashboard charts, the provider's CSV export, logout, and VNKash
// history paged across rows that share a minute. Each merchant works with its
// own provider account: shop A and shop B are two API Ngân hàng members.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorRequest } from '../../src/sandbox/kit.js';
import { createMerchant, gql, type TestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { sandboxControl, sandboxState } from '../support/orders.js';

const SECRET_A = 'shop-a-sharkpay-payin-secret-2026';

const HUB_FIELDS = 'gateway enabled merchantNo notifyUrl whitelistIps callbackSourceIps hasPayinSecretKey hasPayoutSecretKey';

const SAVE_HUB = `mutation($input: SaveHubSettingsInput!) {
  saveHubSettings(input: $input) {
    __typename
    ... on MutationSaveHubSettingsSuccess { data { settings { ${HUB_FIELDS} } providerAccountFieldsToUpdate } }
    ... on ValidationError { field message }
  }
}`;

const TEST_HUB = `mutation($gateway: HubGateway!, $mode: HubTestMode) {
  testHubGateway(gateway: $gateway, mode: $mode) {
    __typename
    ... on MutationTestHubGatewaySuccess { data { gateway mode message } }
    ... on HubGatewayTestFailedError { gateway mode providerMessage }
    ... on ValidationError { field }
  }
}`;

const ACCOUNT_READS = `query($id: Int!, $filter: BankStatementExportFilter) {
  bankProviderAccount {
    hubSettings(gateway: SHARKPAY) { __typename ... on BankProviderAccountHubSettingsSuccess { data { ${HUB_FIELDS} } } }
    transaction(id: $id) {
      __typename
      ... on BankProviderAccountTransactionSuccess { data { id bank accountNumber amount direction refNo description balanceAfter transactionTime recordedAt } }
      ... on NotFoundError { entity id }
    }
    charts { __typename ... on BankProviderAccountChartsSuccess { data { daily { date totalIn totalOut } categories { name totalIn totalOut } } } }
    again: charts { __typename }
    statementExport(filter: $filter) {
      __typename
      ... on BankProviderAccountStatementExportSuccess { data { csv bytes filename } }
      ... on ValidationError { field }
    }
  }
}`;

const HISTORY = `query($first: Int, $before: String, $to: DateTime) {
  vnKashHistory(first: $first, before: $before, to: $to) {
    __typename
    ... on QueryVnKashHistorySuccess { data { rows { batch type amount fee date description } olderCursor } }
    ... on ValidationError { field }
    ... on ProviderNotConfiguredError { provider }
  }
}`;

/** The requests reaching the API Ngân hàng simulator (path and body), seen where the provider sees them. */
function recordApiNganHang(t: TestApp) {
  const simulator = t.app.sandbox!.simulators.get('apinganhang')!;
  const original = simulator.handle.bind(simulator);
  const seen: { path: string; body: string }[] = [];
  simulator.handle = async (request: SimulatorRequest) => {
    if (request.url.pathname.startsWith('/api/v1/')) seen.push({ path: request.url.pathname.slice('/api/v1'.length), body: request.rawBody });
    return original(request);
  };
  return { seen, count: (path: string) => seen.filter((s) => s.path === path).length, reset: () => void seen.splice(0) };
}

describe('provider operations through GraphQL', () => {
  const { t, merchants: [shopA, shopB] } = useTestApp({ WORKERS: 'false' }, ['Shop A', 'Shop B']);
  let calls: ReturnType<typeof recordApiNganHang>;

  beforeAll(async () => {
    // Two members of API Ngân hàng; each shop's provider account logs in as its own.
    for (const [shop, username] of [
      [shopA, 'shop-a'],
      [shopB, 'shop-b'],
    ] as const) {
      await sandboxControl(t.app, 'apinganhang', 'users', { username, password: `${username}-password-1` });
      await t.app.services.providerAccounts.set(shop.merchantId, 'APINGANHANG', { username, password: `${username}-password-1` });
    }
    calls = recordApiNganHang(t);
  });

  it('saves Hub settings (an empty secret keeps the stored one), reads them masked, and tests the gateway', async () => {
    const first = await gql(
      t.url,
      SAVE_HUB,
      { input: { gateway: 'SHARKPAY', enabled: true, merchantNo: 'SP-SHOP-A', payinSecretKey: SECRET_A, notifyUrl: 'https://shop-a.example/hub', whitelistIps: ['127.0.0.1'] } },
      shopA.apiKey,
    );
    expect(first.data.saveHubSettings).toEqual({
      __typename: 'MutationSaveHubSettingsSuccess',
      data: {
        settings: { gateway: 'SHARKPAY', enabled: true, merchantNo: 'SP-SHOP-A', notifyUrl: 'https://shop-a.example/hub', whitelistIps: ['127.0.0.1'], callbackSourceIps: null, hasPayinSecretKey: true, hasPayoutSecretKey: true },
        // Shop A's paygraph account has no SharkPay key yet: forwarded callbacks would be refused until it is set.
        providerAccountFieldsToUpdate: ['sharkpayPayinSecretKey'],
      },
    });
    calls.reset();
    const second = await gql(t.url, SAVE_HUB, { input: { gateway: 'SHARKPAY', enabled: false, payinSecretKey: '' } }, shopA.apiKey);
    expect(second.data.saveHubSettings.data.settings).toMatchObject({ enabled: false, merchantNo: 'SP-SHOP-A', notifyUrl: 'https://shop-a.example/hub', whitelistIps: ['127.0.0.1'], hasPayinSecretKey: true });
    expect(second.data.saveHubSettings.data.providerAccountFieldsToUpdate).toEqual([]);
    const posted = calls.seen.filter((s) => s.path === '/payments/settings.php' && s.body).map((s) => JSON.parse(s.body));
    expect(posted).toEqual([{ gateway: 'sharkpay', enabled: false, settings: { mch_id: 'SP-SHOP-A', payin_secret_key: '', payout_secret_key: '', notify_url: 'https://shop-a.example/hub', whitelist_ips: '127.0.0.1' } }]);
    expect(JSON.stringify(second)).not.toContain(SECRET_A);

    const refused = await gql(t.url, SAVE_HUB, { input: { gateway: 'SHARKPAY', enabled: true, whitelistIps: ['not-an-ip'], callbackSourceIps: [] } }, shopA.apiKey);
    expect(refused.data.saveHubSettings).toMatchObject({ __typename: 'ValidationError', field: 'callbackSourceIps' });

    const passed = await gql(t.url, TEST_HUB, { gateway: 'WOWPAY', mode: 'PAYOUT' }, shopA.apiKey);
    expect(passed.data.testHubGateway).toMatchObject({ __typename: 'MutationTestHubGatewaySuccess', data: { gateway: 'WOWPAY', mode: 'PAYOUT' } });
    await sandboxControl(t.app, 'apinganhang', 'steer', { operation: 'payments.test', behaviour: { kind: 'error', code: 400, message: 'Sai mch_id hoặc secret' } });
    const failed = await gql(t.url, TEST_HUB, { gateway: 'SHARKPAY' }, shopA.apiKey);
    expect(failed.data.testHubGateway).toEqual({ __typename: 'HubGatewayTestFailedError', gateway: 'SHARKPAY', mode: null, providerMessage: 'Sai mch_id hoặc secret' });
    const noMode = await gql(t.url, TEST_HUB, { gateway: 'SHARKPAY', mode: 'PAYIN' }, shopA.apiKey);
    expect(noMode.data.testHubGateway).toEqual({ __typename: 'ValidationError', field: 'mode' });
  });

  it("reads a transaction, the charts and the provider's CSV export, each once per request, and only the caller's own", async () => {
    const { transaction: line } = await sandboxControl(t.app, 'apinganhang', 'transactions', { username: 'shop-a', direction: 'in', amount: 275_000, description: 'SHOP A INV-77 "quoted", comma' });
    await sandboxControl(t.app, 'apinganhang', 'transactions', { username: 'shop-a', direction: 'out', amount: 40_000, description: 'SHOP A REFUND' });
    calls.reset();
    const reads = await gql(t.url, ACCOUNT_READS, { id: line.id, filter: { direction: 'IN' } }, shopA.apiKey);
    expect(reads.errors).toBeUndefined();
    const account = reads.data.bankProviderAccount;
    expect(account.hubSettings.data).toMatchObject({ merchantNo: 'SP-SHOP-A', hasPayinSecretKey: true });
    expect(account.transaction.data).toMatchObject({ id: line.id, bank: 'MBBANK', amount: '275000', direction: 'IN', refNo: line.ref_no, description: 'SHOP A INV-77 "quoted", comma' });
    const charts = account.charts.data;
    expect(charts.daily).toHaveLength(30);
    expect(charts.daily.at(-1)).toMatchObject({ totalIn: '275000', totalOut: '40000' });
    expect(charts.categories).toEqual([{ name: 'MBBANK', totalIn: '275000', totalOut: '40000' }]);
    expect(account.again.__typename).toBe('BankProviderAccountChartsSuccess');
    const exported = account.statementExport.data;
    expect(exported.csv).toContain(line.ref_no);
    expect(exported.csv).toContain('"SHOP A INV-77 ""quoted"", comma"');
    expect(exported.csv).not.toContain('SHOP A REFUND');
    expect(exported.bytes).toBe(Buffer.byteLength(exported.csv, 'utf8'));
    // charts asked twice, read once; nothing else repeated.
    expect(calls.count('/dashboard/charts.php')).toBe(1);
    expect(calls.count('/transactions/detail.php')).toBe(1);

    const badDate = await gql(t.url, `{ bankProviderAccount { statementExport(filter: { dateFrom: "2026-13-45" }) { __typename ... on ValidationError { field } } } }`, {}, shopA.apiKey);
    expect(badDate.data.bankProviderAccount.statementExport).toEqual({ __typename: 'ValidationError', field: 'dateFrom' });

    // Shop B is another member: A's transaction id is not found, and B's charts hold none of A's money.
    const other = await gql(t.url, `query($id: Int!) { bankProviderAccount { transaction(id: $id) { __typename ... on NotFoundError { entity id } } charts { ... on BankProviderAccountChartsSuccess { data { categories { name } daily { totalIn } } } } } }`, { id: line.id }, shopB.apiKey);
    expect(other.data.bankProviderAccount.transaction).toEqual({ __typename: 'NotFoundError', entity: 'BankProviderTransaction', id: String(line.id) });
    expect(other.data.bankProviderAccount.charts.data.categories).toEqual([]);
    expect(other.data.bankProviderAccount.charts.data.daily.every((d: { totalIn: string }) => d.totalIn === '0')).toBe(true);
  });

  it("logs out of API Ngân hàng (the member's token is cancelled) and logs in again when next needed", async () => {
    const tokenOf = async (username: string) => ((await sandboxState(t.app, 'apinganhang')).users as { username: string; token: string | null }[]).find((u) => u.username === username)!.token;
    expect(await tokenOf('shop-a')).not.toBeNull();
    const out = await gql(t.url, `mutation { logoutBankProvider { __typename ... on MutationLogoutBankProviderSuccess { data { loggedOut } } } }`, {}, shopA.apiKey);
    expect(out.data.logoutBankProvider).toEqual({ __typename: 'MutationLogoutBankProviderSuccess', data: { loggedOut: true } });
    expect(await tokenOf('shop-a')).toBeNull();
    expect(await tokenOf('shop-b')).not.toBeNull();
    const after = await gql(t.url, `{ bankProviderAccount { charts { __typename } } }`, {}, shopA.apiKey);
    expect(after.data.bankProviderAccount.charts.__typename).toBe('BankProviderAccountChartsSuccess');
    expect(await tokenOf('shop-a')).not.toBeNull();
  });

  it('pages VNKash history newest first across rows that share a minute, tied to no order', async () => {
    const at = (iso: string) => ({ type: 'DEPOSIT', amount: '200000.00', date: iso });
    const { added } = await sandboxControl(t.app, 'vnkash', 'history', {
      rows: [at('2026-11-02T01:05:10Z'), at('2026-11-02T01:07:00Z'), at('2026-11-02T01:09:01Z'), at('2026-11-02T01:09:20Z'), at('2026-11-02T01:09:45Z')],
    });
    const batches = (added as { batch: string }[]).map((row) => row.batch);
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let before: string | null = null;
    do {
      const page: any = await gql(t.url, HISTORY, { first: 2, before }, shopA.apiKey);
      expect(page.data.vnKashHistory.__typename, JSON.stringify(page)).toBe('QueryVnKashHistorySuccess');
      const { rows, olderCursor } = page.data.vnKashHistory.data;
      seen.push(...rows.map((row: { batch: string }) => row.batch));
      pageSizes.push(rows.length);
      expect(rows[0]).toMatchObject({ type: 'DEPOSIT', amount: '200000', fee: '0', description: { index: expect.any(Number) } });
      before = olderCursor;
    } while (before && pageSizes.length < 5);
    expect(seen).toEqual([...batches].reverse());
    expect(pageSizes).toEqual([2, 2, 1]);

    // A `to` inside a minute holds on the following pages too: the 01:09:45 row never shows.
    const cut = { first: 1, to: '2026-11-02T01:09:30Z' };
    const upTo: any = await gql(t.url, HISTORY, cut, shopA.apiKey);
    const next: any = await gql(t.url, HISTORY, { ...cut, before: upTo.data.vnKashHistory.data.olderCursor }, shopA.apiKey);
    expect([...upTo.data.vnKashHistory.data.rows, ...next.data.vnKashHistory.data.rows].map((row: { batch: string }) => row.batch)).toEqual([batches[3], batches[2]]);

    const badCursor = await gql(t.url, HISTORY, { before: 'not-a-cursor' }, shopA.apiKey);
    expect(badCursor.data.vnKashHistory).toEqual({ __typename: 'ValidationError', field: 'before' });
    // A merchant outside the sandbox with no VNKash account of its own reads nobody else's wallet.
    const stranger = await createMerchant(t.app, 'Live shop', false);
    const none = await gql(t.url, HISTORY, {}, stranger.apiKey);
    expect(none.data.vnKashHistory).toEqual({ __typename: 'ProviderNotConfiguredError', provider: 'VNKASH' });
  });
});
