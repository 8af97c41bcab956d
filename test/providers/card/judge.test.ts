import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { judgeCardCallback, type CardChargeReport, type CardChargeState, type CardChargeStatus } from '../../../src/providers/card/index.js';

const pending: CardChargeState = { requestId: 'r1', transId: '54180', declaredValue: 50_000n, status: 'PENDING' };

const success = (overrides: Partial<CardChargeReport> = {}): CardChargeReport => ({
  status: 'SUCCEEDED',
  valueMismatch: false,
  retryable: false,
  providerStatus: 1,
  message: 'Thành công',
  requestId: 'r1',
  transId: '54180',
  declaredValue: 50_000n,
  realValue: 50_000n,
  chargedValue: 50_000n,
  amount: 35_000n,
  raw: {},
  ...overrides,
});
const mismatch = (overrides: Partial<CardChargeReport> = {}) =>
  success({ providerStatus: 2, valueMismatch: true, realValue: 20_000n, chargedValue: 20_000n, amount: 7_000n, ...overrides });
const failed = (providerStatus = 3, overrides: Partial<CardChargeReport> = {}) =>
  success({ status: 'FAILED', providerStatus, retryable: providerStatus === 4, amount: undefined, realValue: undefined, chargedValue: undefined, ...overrides });
const stillPending = (overrides: Partial<CardChargeReport> = {}) => success({ status: 'PENDING', providerStatus: 99, amount: undefined, realValue: undefined, chargedValue: undefined, ...overrides });

describe('judgeCardCallback: ids', () => {
  it('rejects a report about another request_id', () => {
    expect(judgeCardCallback(pending, success({ requestId: 'r2' }))).toMatchObject({ decision: 'reject', reason: 'request-id-mismatch' });
    expect(judgeCardCallback(pending, success({ requestId: undefined }))).toMatchObject({ decision: 'reject', reason: 'request-id-mismatch' });
  });

  it('rejects a report whose trans_id differs from the one the submit gave us', () => {
    expect(judgeCardCallback(pending, success({ transId: '54181' }))).toMatchObject({ decision: 'reject', reason: 'trans-id-mismatch' });
    expect(judgeCardCallback(pending, success({ transId: undefined }))).toMatchObject({ decision: 'reject', reason: 'trans-id-mismatch' });
  });

  it('adopts the trans_id when the submit timed out and we never learnt it', () => {
    for (const transId of [undefined, null]) {
      expect(judgeCardCallback({ ...pending, transId }, success())).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: true, adoptTransId: '54180' });
    }
  });
});

describe('judgeCardCallback: forward only', () => {
  it('ignores a repeat of the final state the charge already has', () => {
    expect(judgeCardCallback({ ...pending, status: 'SUCCEEDED' }, success())).toMatchObject({ decision: 'ignore', reason: 'duplicate' });
    expect(judgeCardCallback({ ...pending, status: 'FAILED' }, failed())).toMatchObject({ decision: 'ignore', reason: 'duplicate' });
  });

  it.each([
    ['SUCCEEDED', failed()],
    ['SUCCEEDED', stillPending()],
    ['FAILED', success()],
    ['FAILED', stillPending()],
  ] as const)('rejects moving a %s charge anywhere else', (status, report) => {
    expect(judgeCardCallback({ ...pending, status }, report)).toMatchObject({ decision: 'reject', reason: 'already-final' });
  });

  it('ignores a pending report for a pending charge', () => {
    expect(judgeCardCallback(pending, stillPending())).toMatchObject({ decision: 'ignore', reason: 'still-pending' });
  });

  it('rejects an undocumented status and changes nothing', () => {
    expect(judgeCardCallback(pending, success({ status: null, providerStatus: 7 }))).toMatchObject({ decision: 'reject', reason: 'unknown-status' });
  });

  it('never accepts anything for a final charge (property)', () => {
    const statuses: (CardChargeStatus | null)[] = ['SUCCEEDED', 'FAILED', 'PENDING', null];
    fc.assert(
      fc.property(
        fc.constantFrom<CardChargeStatus>('SUCCEEDED', 'FAILED'),
        fc.constantFrom(...statuses),
        fc.bigInt({ min: -10n, max: 200_000n }),
        fc.boolean(),
        (current, reported, amount, valueMismatch) => {
          const verdict = judgeCardCallback({ ...pending, status: current }, success({ status: reported, amount, valueMismatch }));
          expect(verdict.decision).not.toBe('accept');
        },
      ),
    );
  });
});

describe('judgeCardCallback: amounts (the sign does not cover them)', () => {
  it('accepts a right-value success and asks for a check before applying', () => {
    expect(judgeCardCallback(pending, success())).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: true });
  });

  it('accepts a wrong-value success with the real value and a smaller amount', () => {
    expect(judgeCardCallback(pending, mismatch())).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: true });
  });

  it('accepts a wrong-value success whose real value is higher, paid on the declared value', () => {
    expect(judgeCardCallback(pending, mismatch({ realValue: 100_000n, chargedValue: 50_000n, amount: 17_500n }))).toMatchObject({ decision: 'accept' });
  });

  it('rejects an amount above the declared value', () => {
    expect(judgeCardCallback(pending, success({ amount: 50_001n }))).toMatchObject({ decision: 'reject', reason: 'amount-exceeds-declared' });
    expect(judgeCardCallback(pending, mismatch({ realValue: 100_000n, chargedValue: 100_000n, amount: 70_000n }))).toMatchObject({
      decision: 'reject',
      reason: 'amount-exceeds-declared',
    });
  });

  it('accepts an amount equal to the declared value (no discount) as the upper bound', () => {
    expect(judgeCardCallback(pending, success({ amount: 50_000n }))).toMatchObject({ decision: 'accept' });
  });

  it('rejects an amount above the value it was paid on', () => {
    expect(judgeCardCallback(pending, mismatch({ amount: 20_001n }))).toMatchObject({ decision: 'reject', reason: 'amount-exceeds-value' });
  });

  it('rejects a success without an amount, or with a negative one', () => {
    expect(judgeCardCallback(pending, success({ amount: undefined }))).toMatchObject({ decision: 'reject', reason: 'missing-amount' });
    expect(judgeCardCallback(pending, success({ amount: -1n }))).toMatchObject({ decision: 'reject', reason: 'negative-amount' });
  });

  it('rejects a report that claims another declared value than ours', () => {
    expect(judgeCardCallback(pending, success({ declaredValue: 100_000n, realValue: 100_000n, chargedValue: 100_000n, amount: 50_000n }))).toMatchObject({
      decision: 'reject',
      reason: 'declared-value-mismatch',
    });
  });

  it('rejects a status that contradicts the values it carries', () => {
    expect(judgeCardCallback(pending, success({ realValue: 20_000n }))).toMatchObject({ decision: 'reject', reason: 'inconsistent-value' });
    expect(judgeCardCallback(pending, success({ realValue: undefined, chargedValue: 20_000n }))).toMatchObject({ decision: 'reject', reason: 'inconsistent-value' });
    expect(judgeCardCallback(pending, mismatch({ realValue: 50_000n }))).toMatchObject({ decision: 'reject', reason: 'inconsistent-value' });
  });

  it('accepts status 2 without card_value (the POST JSON callback and the check carry none): a success with a value mismatch', () => {
    expect(judgeCardCallback(pending, mismatch({ realValue: undefined }))).toMatchObject({ decision: 'accept', to: 'SUCCEEDED' });
    expect(judgeCardCallback(pending, mismatch({ realValue: undefined, chargedValue: undefined }))).toMatchObject({ decision: 'accept', to: 'SUCCEEDED' });
  });

  it('never accepts an amount above the declared value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 50_001n, max: 10_000_000n }), fc.boolean(), (amount, valueMismatch) => {
        const report = valueMismatch ? mismatch({ amount, chargedValue: amount, realValue: amount }) : success({ amount });
        expect(judgeCardCallback(pending, report).decision).toBe('reject');
      }),
    );
  });
});

describe('judgeCardCallback: failures and confirmation', () => {
  it.each([3, 4, 100])('accepts a status-%i failure for a pending charge, confirmed by check', (providerStatus) => {
    expect(judgeCardCallback(pending, failed(providerStatus))).toEqual({ decision: 'accept', to: 'FAILED', confirmByCheck: true });
  });

  it('does not ask for a check when the provider has none', () => {
    expect(judgeCardCallback(pending, success(), { checkEnabled: false })).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: false });
  });

  it('does not ask to confirm a report that came from our own check, but still applies every other defence', () => {
    expect(judgeCardCallback(pending, success(), { checkEnabled: true, source: 'check' })).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: false });
    expect(judgeCardCallback(pending, success({ amount: 60_000n }), { checkEnabled: true, source: 'check' })).toMatchObject({ decision: 'reject' });
  });
});
