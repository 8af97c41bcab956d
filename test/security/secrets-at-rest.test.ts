// Secrets never land in clear: after the flows that handle them (API keys,
// provider credentials, a bank password between OTP steps, a card's code and
// serial, signed callbacks), neither the logs — at trace level — nor any row
// of any table holds one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, gql, logCollector, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { cardControl, submitCard, viettelCard, waitForCardStatus } from '../cards/support.js';

/** Every row of every table, as text: what someone with a copy of the database would see. */
async function databaseText(t: TestApp): Promise<string> {
  const tables = await t.app.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await t.app.db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe('secrets at rest and in the logs', () => {
  const logs = logCollector();
  let t: TestApp;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace' }, logs.stream);
  });
  afterAll(() => t.stop());

  it('keeps API keys, provider secrets, bank passwords and card codes out of logs and tables', async () => {
    const merchant = await createMerchant(t.app, 'Secretive');
    secrets.apiKey = merchant.apiKey;
    const created = await gql(t.url, 'mutation { createApiKey(name: "second") { ... on MutationCreateApiKeySuccess { data { secret } } } }', {}, merchant.apiKey);
    secrets.secondKey = created.data.createApiKey.data.secret;

    // Provider credentials, through GraphQL (the sandbox accepts these VNKash keys; the others only need to be stored).
    secrets.vnkashSecret = 'vnk-secret-' + 'Q'.repeat(24);
    await gql(t.url, 'mutation($v: JSON!) { setProviderAccount(provider: CARD, values: $v) { __typename } }', { v: { partnerId: '8740404061', partnerKey: 'sandbox-partner-key' } }, merchant.apiKey);
    const other = await createMerchant(t.app, 'Credentials only', false);
    await gql(t.url, 'mutation($v: JSON!) { setProviderAccount(provider: VNKASH, values: $v) { __typename } }', { v: { publicKey: 'PUB-1', secretKey: secrets.vnkashSecret } }, other.apiKey);

    // A cash-in paid through a callback.
    const order = (await createCashIn(t.url, merchant.apiKey, { amount: '150000', idempotencyKey: 'secret-cash-in' })).data;
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
    await waitForStatus(t.app, order.id, ['SUCCEEDED']);

    // A card charge settled by its callback.
    const card = viettelCard();
    secrets.cardCode = card.code;
    secrets.cardSerial = card.serial;
    const { result } = await submitCard(t.url, merchant.apiKey, { ...card, idempotencyKey: 'secret-card' });
    const charge = result.data;
    await cardControl(t.app, 'settle', { request_id: charge.requestId, status: 1, callback: { mode: 'once', form: 'POST_JSON' } });
    await waitForCardStatus(t.app, charge.id, ['SUCCEEDED']);

    // A bank password between the two OTP steps.
    secrets.bankPassword = 'Vcb-Smart#Secret-2026';
    const otp = await gql(
      t.url,
      `mutation($input: BankLoginInput!) { requestBankOtp(input: $input) { __typename } }`,
      { input: { bankCode: 'BIDV', loginId: 'secretive_user', password: secrets.bankPassword, accountNumber: '8877172056' } },
      merchant.apiKey,
    );
    expect(otp.data.requestBankOtp.__typename).toBe('MutationRequestBankOtpSuccess');
    await t.app.sandbox!.idle();

    const stored = await databaseText(t);
    const logged = logs.text();
    expect(logged.length).toBeGreaterThan(1000); // trace logs were written: the check below means something
    for (const [name, secret] of Object.entries(secrets)) {
      expect(stored.includes(secret), `${name} is in the database in clear`).toBe(false);
      expect(logged.includes(secret), `${name} is in the logs`).toBe(false);
    }
  });
});
