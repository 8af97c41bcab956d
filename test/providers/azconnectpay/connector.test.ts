// Every AZConnectPay connector operation over real HTTP against the simulator.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzConnectPayConnector } from '../../../src/providers/azconnectpay/index.js';
import type { CreateOrderInput } from '../../../src/providers/types.js';
import { newRequestId, orderRef, startHarness, testHttp, type Harness } from './helpers.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, ValidationError } from '../../../src/errors/index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const CALLBACK = 'http://127.0.0.1:9/callbacks/azconnectpay';

function cashIn(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  const requestId = overrides.requestId ?? newRequestId('in');
  return { kind: 'CASH_IN', requestId, amount: 150_000n, method: 'bank', callbackUrl: `${CALLBACK}?ref=${requestId}`, ...overrides };
}

function cashOut(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  const requestId = overrides.requestId ?? newRequestId('out');
  return {
    kind: 'CASH_OUT',
    requestId,
    amount: 200_000n,
    method: 'bank',
    payee: { accountNumber: '321321321321', accountName: 'NGUYEN VAN A', bankCode: 'VCB' },
    callbackUrl: `${CALLBACK}?ref=${requestId}`,
    ...overrides,
  };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('AZConnectPay cash-in', () => {
  it('creates a bank cash-in and returns the transfer instructions, pending', async () => {
    const input = cashIn();
    const result = await h.connector.create(input);
    expect(result.report).toMatchObject({ status: 'PENDING', rawStatus: 'true' });
    const i = result.instructions!;
    expect(i.accountNumber).toMatch(/^\d{6,}$/);
    expect(i.accountName).toMatch(/^[A-Z ]+$/);
    expect(i.bankCode).toBeTruthy();
    expect(i.bankName).toBeTruthy();
    expect(i.amount).toBe(150_000n);
    expect(i.transferContent).toMatch(/^ck [a-z]+ [a-z]+ \d{5}$/);
    expect(i.qrData).toMatch(/^000201/);
    expect(i.qrImage).toMatch(/^data:image\/png;base64,/);
    // The simulator stored what was sent, callback URL included.
    const stored = h.sim.controls.order('cash-in', input.requestId)!;
    expect(stored).toMatchObject({ amount: 150_000, type: 'bank', status: 'PENDING', callback: input.callbackUrl });
    expect(stored.payment?.content).toBe(i.transferContent);
  });

  it('uses bank when no method is given', async () => {
    const input = cashIn({ method: undefined });
    const result = await h.connector.create(input);
    expect(result.instructions?.accountNumber).toBeTruthy();
    expect(h.sim.controls.order('cash-in', input.requestId)?.type).toBe('bank');
  });

  it('creates a MoMo cash-in with phone, name, content and deep link', async () => {
    const input = cashIn({ method: 'momo', amount: 50_000n });
    const result = await h.connector.create(input);
    expect(result.report.status).toBe('PENDING');
    const i = result.instructions!;
    expect(i.phone).toMatch(/^0\d{9}$/);
    expect(i.accountName).toBeTruthy();
    expect(i.transferContent).toMatch(/^[a-z]+ [a-z]+ \d{5}$/);
    expect(i.deepLink).toMatch(/^momo:\/\/\/\?action=p2p&extra=/);
    expect(i.qrData).toMatch(new RegExp(`^2\\|99\\|${i.phone}\\|`));
    expect(i.amount).toBe(50_000n);
  });

  it('reads a pending cash-in, then the success with amount and fee', async () => {
    const input = cashIn({ amount: 50_000n });
    await h.connector.create(input);
    const pending = await h.connector.queryStatus(orderRef('CASH_IN', input.requestId, input.amount));
    expect(pending).toMatchObject({ status: 'PENDING', rawStatus: 'PENDING', amount: 50_000n, fee: 0n });
    h.sim.controls.settle({ kind: 'cash-in', requestId: input.requestId, outcome: 'succeed', callback: 'none' });
    const paid = await h.connector.queryStatus(orderRef('CASH_IN', input.requestId, input.amount));
    // The document's example: 50 000 paid, 2 000 fee.
    expect(paid).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 50_000n, fee: 2_000n });
    expect(paid.raw).toMatchObject({ request_id: input.requestId, status: 'SUCCESS' });
  });

  it('reports the amount actually paid when the payer sent a different amount', async () => {
    const input = cashIn({ amount: 150_000n });
    await h.connector.create(input);
    h.sim.controls.settle({ kind: 'cash-in', requestId: input.requestId, outcome: 'succeed', amount: 120_000n, callback: 'none' });
    const report = await h.connector.queryStatus(orderRef('CASH_IN', input.requestId, input.amount));
    expect(report.status).toBe('SUCCEEDED');
    expect(report.amount).toBe(120_000n);
  });

  it('maps a failed and an expired cash-in', async () => {
    const failed = cashIn();
    const expired = cashIn();
    await h.connector.create(failed);
    await h.connector.create(expired);
    h.sim.controls.settle({ kind: 'cash-in', requestId: failed.requestId, outcome: 'fail', callback: 'none' });
    h.sim.controls.settle({ kind: 'cash-in', requestId: expired.requestId, outcome: 'expire', callback: 'none' });
    expect((await h.connector.queryStatus(orderRef('CASH_IN', failed.requestId, failed.amount))).status).toBe('FAILED');
    expect((await h.connector.queryStatus(orderRef('CASH_IN', expired.requestId, expired.amount))).status).toBe('EXPIRED');
  });

  it('reports an unknown status as null and keeps the raw value', async () => {
    const input = cashIn();
    await h.connector.create(input);
    h.sim.controls.settle({ kind: 'cash-in', requestId: input.requestId, outcome: 'processing', status: 'ON_HOLD', callback: 'none' });
    const report = await h.connector.queryStatus(orderRef('CASH_IN', input.requestId, input.amount));
    expect(report.status).toBeNull();
    expect(report.rawStatus).toBe('ON_HOLD');
    expect(report.raw).toMatchObject({ status: 'ON_HOLD' });
  });

  it('refuses a payment method AZConnectPay does not have, without calling it', async () => {
    const input = cashIn({ method: 'card' });
    expect(await caught(h.connector.create(input))).toMatchObject({ constructor: ValidationError, field: 'method' });
    expect(h.sim.controls.order('cash-in', input.requestId)).toBeUndefined();
  });
});

describe('AZConnectPay cash-out', () => {
  it('creates a bank cash-out, pending as the answer says', async () => {
    const input = cashOut();
    const result = await h.connector.create(input);
    expect(result.report).toMatchObject({ status: 'PENDING', rawStatus: 'PENDING' });
    expect(result.instructions).toBeUndefined();
    expect(h.sim.controls.order('cash-out', input.requestId)).toMatchObject({
      amount: 200_000,
      type: 'bank',
      payee: { account: '321321321321', bank_code: 'VCB', bank_fullname: 'NGUYEN VAN A' },
    });
  });

  it('creates a MoMo cash-out with bank_code MOMO when the payee has none', async () => {
    const input = cashOut({ method: 'momo', payee: { accountNumber: '0912345678', accountName: 'Phạm Văn Tài', bankCode: '' } });
    const result = await h.connector.create(input);
    expect(result.report.status).toBe('PENDING');
    expect(h.sim.controls.order('cash-out', input.requestId)?.payee).toEqual({ account: '0912345678', bank_code: 'MOMO', bank_fullname: 'Phạm Văn Tài' });
  });

  it('takes the report from the create answer when the cash-out is already final', async () => {
    h.sim.controls.steer('cash-out', { kind: 'succeed' });
    const result = await h.connector.create(cashOut());
    expect(result.report).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'SUCCESS' });
    h.sim.controls.steer('cash-out', { kind: 'fail' });
    const failed = await h.connector.create(cashOut());
    expect(failed.report).toMatchObject({ status: 'FAILED', rawStatus: 'FAILED' });
  });

  it('reads a cash-out status through the cash-out endpoint (no fee in the answer)', async () => {
    const input = cashOut({ amount: 300_000n });
    await h.connector.create(input);
    expect(await h.connector.queryStatus(orderRef('CASH_OUT', input.requestId, input.amount))).toMatchObject({ status: 'PENDING', amount: 300_000n });
    h.sim.controls.settle({ kind: 'cash-out', requestId: input.requestId, outcome: 'processing', callback: 'none' });
    expect((await h.connector.queryStatus(orderRef('CASH_OUT', input.requestId, input.amount))).status).toBe('PROCESSING');
    h.sim.controls.settle({ kind: 'cash-out', requestId: input.requestId, outcome: 'succeed', callback: 'none' });
    const done = await h.connector.queryStatus(orderRef('CASH_OUT', input.requestId, input.amount));
    expect(done).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 300_000n });
    expect(done.fee).toBeUndefined();
    expect(done.raw).toMatchObject({ type: 'bank' });
  });

  it('asks the cash-in and cash-out endpoints separately', async () => {
    const input = cashIn();
    await h.connector.create(input);
    // The cash-out endpoint does not know a cash-in: its documented {success:false} 404 is "not found", nothing guessed.
    await expect(h.connector.queryStatus(orderRef('CASH_OUT', input.requestId, input.amount))).resolves.toMatchObject({ status: null, notFound: true, raw: { httpStatus: 404 } });
  });

  it('needs a payee for a cash-out', async () => {
    await expect(h.connector.create(cashOut({ payee: undefined }))).rejects.toThrow(/payee/);
  });
});

describe('AZConnectPay refusals', () => {
  const refusals: { name: string; run: () => Promise<unknown>; type: Function; httpStatus?: number; message: RegExp }[] = [
    { name: 'a wrong APIKEY on create cash-in', run: () => h.connectorWith({ apiKey: 'wrong-key' }).create(cashIn()), type: ProviderAuthError, message: /Invalid APIKEY/ },
    { name: 'a wrong APIKEY on a status query', run: () => h.connectorWith({ apiKey: 'wrong-key' }).queryStatus(orderRef('CASH_IN', 'x', 1n)), type: ProviderAuthError, message: /Invalid APIKEY/ },
    { name: 'a wrong APIKEY on the bank list', run: () => h.connectorWith({ apiKey: 'wrong-key' }).listBanks(), type: ProviderAuthError, message: /Invalid APIKEY/ },
    { name: 'a wrong private key on cash-in (bad Checksum)', run: () => h.connectorWith({ privateKey: 'wrong-private' }).create(cashIn()), type: ProviderAuthError, message: /Invalid Checksum/ },
    { name: 'a wrong private key on cash-out (bad Checksum)', run: () => h.connectorWith({ privateKey: 'wrong-private' }).create(cashOut()), type: ProviderAuthError, message: /Invalid Checksum/ },
    { name: 'a cash-out below 100 000 đ', run: () => h.connector.create(cashOut({ amount: 99_999n })), type: ProviderRefusedError, httpStatus: 400, message: /Minimum cash-out amount is 100000/ },
    { name: 'an unknown bank code', run: () => h.connector.create(cashOut({ payee: { accountNumber: '1', accountName: 'A', bankCode: 'NOPE' } })), type: ProviderRefusedError, httpStatus: 400, message: /Invalid bank_code/ },
    {
      name: 'an invalid type (steered, as the simulator answers it)',
      run: () => {
        h.sim.controls.steer('cash-in', { kind: 'error', code: 400, message: 'Invalid type: must be bank or momo' });
        return h.connector.create(cashIn());
      },
      type: ProviderRefusedError,
      httpStatus: 400,
      message: /Invalid type/,
    },
  ];
  for (const refusal of refusals) {
    it(`turns ${refusal.name} into ${refusal.type.name} with the message kept`, async () => {
      const error = await caught(refusal.run());
      expect(error).toBeInstanceOf(refusal.type);
      expect((error as Error).message).toMatch(refusal.message);
      if (refusal.httpStatus) {
        expect((error as ProviderRefusedError).code).toBe('success:false');
        expect((error as ProviderRefusedError).options.httpStatus).toBe(refusal.httpStatus);
        expect((error as ProviderRefusedError).retryable).toBe(false);
      }
    });
  }

  it('reads a status query for an unknown request_id (HTTP 404, {success:false}) as the provider not knowing the order, message kept', async () => {
    const report = await h.connector.queryStatus(orderRef('CASH_IN', 'never-created', 1n));
    expect(report).toMatchObject({ status: null, notFound: true, rawStatus: 'NOT_FOUND', raw: { httpStatus: 404, message: 'Transaction not found' } });
  });

  it('refuses a duplicate request_id and leaves the first order as it was', async () => {
    const input = cashIn();
    const first = await h.connector.create(input);
    const error = await caught(h.connector.create({ ...input, amount: 999_000n }));
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).options).toMatchObject({ httpStatus: 409, providerMessage: 'request_id already exists' });
    expect(h.sim.controls.order('cash-in', input.requestId)?.amount).toBe(150_000);
    expect(first.report.status).toBe('PENDING');
  });

  it('marks a rate-limit refusal as retryable', async () => {
    h.sim.controls.steer('cash-out-status', { kind: 'error', code: 429, message: 'Too many requests' });
    const error = await caught(h.connector.queryStatus(orderRef('CASH_OUT', 'any', 1n)));
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).retryable).toBe(true);
  });

  it('never puts our keys in an error, even when the provider echoes them', async () => {
    const { apiKey, privateKey } = h.sim.credentials;
    h.sim.controls.steer('cash-in', { kind: 'error', code: 400, message: `bad request for ${apiKey} signed with ${privateKey}` });
    const error = (await caught(h.connector.create(cashIn()))) as ProviderRefusedError;
    expect(error).toBeInstanceOf(ProviderRefusedError);
    const everything = `${error.message} ${JSON.stringify(error.options)} ${String(error.stack)}`;
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(privateKey);
    expect(error.message).toContain('[redacted]');
  });

  it('says which operations AZConnectPay does not have', async () => {
    expect(await caught(h.connector.create({ ...cashIn(), kind: 'DEPOSIT' }))).toBeInstanceOf(ProviderNotSupportedError);
    expect(await caught(h.connector.queryStatus({ ...orderRef('CASH_IN', 'x', 1n), kind: 'HUB_PAYIN' }))).toBeInstanceOf(ProviderNotSupportedError);
    expect(await caught(h.connector.cancel!(orderRef('CASH_IN', 'x', 1n)))).toBeInstanceOf(ProviderNotSupportedError);
    expect(h.connector.kinds).toEqual(['CASH_IN', 'CASH_OUT']);
    expect(h.connector.provider).toBe('AZCONNECTPAY');
  });
});

describe('AZConnectPay timeouts and broken answers', () => {
  it('reports an unknown outcome when a cash-in create times out, and the status query settles it', async () => {
    const fast = h.connectorWith({ http: { timeoutMs: 150 } });
    const input = cashIn();
    h.sim.controls.steer('cash-in', { kind: 'delay', delayMs: 1_000 });
    const error = await caught(fast.create(input));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    // It did reach the provider: the status query says so.
    const report = await fast.queryStatus(orderRef('CASH_IN', input.requestId, input.amount));
    expect(report.status).toBe('PENDING');
  });

  it('reports an unknown outcome when a cash-out create times out, and the status query settles it', async () => {
    const fast = h.connectorWith({ http: { timeoutMs: 150 } });
    const input = cashOut();
    h.sim.controls.steer('cash-out', { kind: 'delay', delayMs: 1_000, then: { kind: 'succeed' } });
    const error = await caught(fast.create(input));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    expect((await fast.queryStatus(orderRef('CASH_OUT', input.requestId, input.amount))).status).toBe('SUCCEEDED');
  });

  it('treats an HTTP 500 on create as an unknown outcome; the status query shows it never arrived', async () => {
    const input = cashIn();
    h.sim.controls.steer('cash-in', { kind: 'http-500' });
    const error = await caught(h.connector.create(input));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    await expect(h.connector.queryStatus(orderRef('CASH_IN', input.requestId, input.amount))).resolves.toMatchObject({ status: null, notFound: true });
  });

  it('retries a status query that timed out, since reading is safe', async () => {
    const input = cashIn();
    await h.connector.create(input);
    const retrying = h.connectorWith({ http: { timeoutMs: 150, safeRetries: 1, backoffMs: 1 } });
    h.sim.controls.steer('cash-in-status', { kind: 'delay', delayMs: 1_000 });
    expect((await retrying.queryStatus(orderRef('CASH_IN', input.requestId, input.amount))).status).toBe('PENDING');
  });

  it('gives up on a status query that keeps timing out, with a known (no money) outcome', async () => {
    const input = cashIn();
    await h.connector.create(input);
    const fast = h.connectorWith({ http: { timeoutMs: 150, safeRetries: 0 } });
    h.sim.controls.steer('cash-in-status', { kind: 'delay', delayMs: 1_000 });
    const error = await caught(fast.queryStatus(orderRef('CASH_IN', input.requestId, input.amount)));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(false);
  });

  // Shapes the simulator never sends: a fetch that answers what the test says.
  const answering = (status: number, body: unknown): typeof fetch => async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  const offline = (body: unknown, status = 200) =>
    createAzConnectPayConnector({ baseUrl: 'http://azconnectpay.invalid', apiKey: 'k', privateKey: 'p' }, { http: { ...testHttp, fetch: answering(status, body) } });

  it('rejects a status answer whose amount is not a whole number of đồng', async () => {
    const error = await caught(offline({ success: true, request_id: 'r1', amount: '12.5', status: 'SUCCESS' }).queryStatus(orderRef('CASH_IN', 'r1', 1n)));
    expect(error).toBeInstanceOf(ProviderBadResponseError);
  });

  it('parses amounts printed as strings exactly', async () => {
    // ("100.000" is avoided on purpose: src/domain/money.ts reads it as 100, reported to the lead.)
    const report = await offline({ success: true, request_id: 'r1', amount: '1.500.000', fee_amount: '2000.00', status: 'SUCCESS' }).queryStatus(orderRef('CASH_IN', 'r1', 1n));
    expect(report).toMatchObject({ amount: 1_500_000n, fee: 2_000n, status: 'SUCCEEDED' });
  });

  it('rejects an answer about another request_id', async () => {
    const error = await caught(offline({ success: true, request_id: 'someone-else', amount: 1, status: 'SUCCESS' }).queryStatus(orderRef('CASH_IN', 'r1', 1n)));
    expect(error).toBeInstanceOf(ProviderBadResponseError);
  });

  it('rejects a cash-in answer without the account to pay', async () => {
    const error = await caught(offline({ success: true, request_id: 'r1', amount: 1, status: true, results: { content: 'x' } }).create(cashIn({ requestId: 'r1' })));
    expect(error).toBeInstanceOf(ProviderBadResponseError);
  });

  it('treats success:true with status:false as a refusal with the message kept', async () => {
    const error = await caught(offline({ success: true, request_id: 'r1', amount: 1, status: false, message: 'Hệ thống bảo trì', results: {} }).create(cashIn({ requestId: 'r1' })));
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as Error).message).toBe('Hệ thống bảo trì');
  });

  it('reads a 403 without a JSON body as an auth failure and a 404 page as a bad response', async () => {
    expect(await caught(offline('<html>forbidden</html>', 403).listBanks())).toBeInstanceOf(ProviderAuthError);
    expect(await caught(offline('<html>not found</html>', 404).listBanks())).toBeInstanceOf(ProviderBadResponseError);
  });
});

describe('AZConnectPay input validation', () => {
  const cases: [string, CreateOrderInput, string | null][] = [
    ['a bank cash-in', cashIn(), null],
    ['a MoMo cash-out of exactly 100 000 đ', cashOut({ method: 'momo', amount: 100_000n, payee: { accountNumber: '0912345678', accountName: 'A', bankCode: '' } }), null],
    ['a cash-out of 99 999 đ', cashOut({ amount: 99_999n }), 'amount'],
    ['a zero cash-in', cashIn({ amount: 0n }), 'amount'],
    ['a card payment', cashIn({ method: 'card' }), 'method'],
    ['a deposit', { ...cashIn(), kind: 'DEPOSIT' }, 'kind'],
    ['a cash-out without payee', cashOut({ payee: undefined }), 'payee'],
    ['a bank cash-out without bank code', cashOut({ payee: { accountNumber: '1', accountName: 'A', bankCode: ' ' } }), 'payee.bankCode'],
    ['a cash-out without holder name', cashOut({ payee: { accountNumber: '1', accountName: '', bankCode: 'VCB' } }), 'payee.accountName'],
  ];
  for (const [name, input, field] of cases) {
    it(`${field ? `flags ${field} on` : 'accepts'} ${name}`, () => {
      expect(h.connector.validate!(input)?.field ?? null).toBe(field);
    });
  }
});

describe('AZConnectPay bank list', () => {
  it('lists the banks /banks answers', async () => {
    const list = await h.connector.listBanks();
    expect(list.source).toBe('provider');
    expect(list.banks).toContainEqual({ code: 'VCB', name: 'Vietcombank' });
    expect(list.banks).toContainEqual({ code: 'MOMO', name: 'Ví Momo' });
  });

  it('falls back to the document appendix when /banks cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const list = await h.connectorWith({ baseUrl: `http://127.0.0.1:${port}/azconnectpay` }).listBanks();
    expect(list.source).toBe('fallback');
    expect(list.reason).toBeTruthy();
    expect(list.banks).toHaveLength(33);
    expect(list.banks[0]).toEqual({ code: 'ABB', name: 'ABBANK' });
    expect(list.banks).toContainEqual({ code: 'MOMO', name: 'Ví Momo' });
  });

  it('falls back when /banks answers HTTP 500', async () => {
    h.sim.controls.steer('banks', { kind: 'http-500' });
    expect((await h.connector.listBanks()).source).toBe('fallback');
  });

  it('does not hide a refusal behind the fallback list', async () => {
    h.sim.controls.steer('banks', { kind: 'fail' });
    expect(await caught(h.connector.listBanks())).toBeInstanceOf(ProviderRefusedError);
  });
});
