import { describe, it, expect } from 'vitest';
import {
  cardFailureOf,
  cardRefusalOf,
  describeCardStatus,
  documentedCardStatuses,
  toStatusReport,
} from '../../../src/providers/card/index.js';
import { cardPayloadSchema } from '../../../src/providers/card/schemas.js';
import { toCardReport } from '../../../src/providers/card/status.js';
import { ProviderRefusedError } from '../../../src/errors/index.js';

const report = (fields: Record<string, unknown>) => toCardReport(cardPayloadSchema.parse(fields), fields);

// The document's example answer.
const documentAnswer = {
  trans_id: 8,
  request_id: '323233',
  amount: 35000,
  value: null,
  declared_value: 50000,
  telco: 'VIETTEL',
  serial: '10004783347874',
  code: '312821445892982',
  status: 99,
  message: 'PENDING',
};

describe('card status mapping', () => {
  it.each([
    [1, 'SUCCEEDED', false, false],
    [2, 'SUCCEEDED', true, false],
    [3, 'FAILED', false, false],
    [4, 'FAILED', false, true],
    [99, 'PENDING', false, false],
    [100, 'FAILED', false, false],
  ] as const)('maps status %i to %s (mismatch %s, retryable %s)', (status, unified, valueMismatch, retryable) => {
    expect(describeCardStatus(status)).toMatchObject({ status: unified, valueMismatch, retryable });
    expect(report({ ...documentAnswer, status })).toMatchObject({ status: unified, valueMismatch, retryable, providerStatus: status });
  });

  it('covers exactly the document’s six statuses', () => {
    expect([...documentedCardStatuses]).toEqual([1, 2, 3, 4, 99, 100]);
  });

  it('reads the document’s example answer as pending, keeping the estimate out of amount', () => {
    const parsed = report(documentAnswer);
    expect(parsed).toMatchObject({ status: 'PENDING', transId: '8', requestId: '323233', declaredValue: 50_000n, telco: 'VIETTEL', message: 'PENDING' });
    expect(parsed.amount).toBeUndefined();
    expect(parsed.realValue).toBeUndefined();
    expect(parsed.raw.amount).toBe(35000);
  });

  it('masks code and serial in raw', () => {
    const parsed = report(documentAnswer);
    expect(parsed.raw.code).toBe('…2982');
    expect(parsed.raw.serial).toBe('…7874');
    expect(JSON.stringify(parsed.raw)).not.toContain('312821445892982');
    expect(JSON.stringify(parsed.raw)).not.toContain('10004783347874');
  });

  it('maps an undocumented status to null and keeps the raw payload', () => {
    const parsed = report({ ...documentAnswer, status: 7, message: 'Something new' });
    expect(parsed.status).toBeNull();
    expect(parsed.providerStatus).toBe(7);
    expect(parsed.raw).toMatchObject({ status: 7, message: 'Something new', trans_id: 8 });
    expect(cardFailureOf(parsed)).toBeNull();
  });

  it('prefers card_value over value as the real face value, and keeps value as the one paid on', () => {
    const parsed = report({ ...documentAnswer, status: 2, card_value: '100000', value: '50000', amount: '17500' });
    expect(parsed).toMatchObject({ realValue: 100_000n, chargedValue: 50_000n, amount: 17_500n, valueMismatch: true });
  });

  it('reads string statuses and amounts from a GET callback exactly', () => {
    expect(report({ ...documentAnswer, status: '1', card_value: '50000', value: '50000', amount: '35000' })).toMatchObject({ status: 'SUCCEEDED', amount: 35_000n, realValue: 50_000n, chargedValue: 50_000n });
  });

  it('reads value as the value charged on, never as the real face value (only card_value is)', () => {
    const parsed = report({ ...documentAnswer, status: 2, value: '20000', amount: '7000' });
    expect(parsed).toMatchObject({ status: 'SUCCEEDED', valueMismatch: true, chargedValue: 20_000n, amount: 7_000n });
    expect(parsed.realValue).toBeUndefined();
  });

  it('refuses fractional amounts and non-numeric statuses', () => {
    expect(cardPayloadSchema.safeParse({ ...documentAnswer, amount: 35000.5 }).success).toBe(false);
    expect(cardPayloadSchema.safeParse({ ...documentAnswer, status: 'PENDING' }).success).toBe(false);
    expect(cardPayloadSchema.safeParse({ ...documentAnswer, status: 1.5 }).success).toBe(false);
  });

  it('gives the shared StatusReport shape for the inbox', () => {
    const parsed = report({ ...documentAnswer, status: 1, value: 50000, amount: 35000 });
    expect(toStatusReport(parsed)).toEqual({ status: 'SUCCEEDED', rawStatus: '1', amount: 35_000n, providerReference: '8', raw: parsed.raw });
  });
});

describe('card failures for typed GraphQL results', () => {
  it.each([
    [3, 'CARD_INVALID', false],
    [4, 'PROVIDER_MAINTENANCE', true],
    [100, 'SUBMISSION_REJECTED', false],
  ] as const)('status %i is %s (retryable %s)', (status, code, retryable) => {
    const parsed = report({ ...documentAnswer, status, message: 'Lý do' });
    expect(cardFailureOf(parsed)).toMatchObject({ code, providerStatus: status, retryable, providerMessage: 'Lý do' });
    const error = cardRefusalOf(parsed);
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect(error).toMatchObject({ code: String(status), retryable, provider: 'CARD' });
    expect(error!.options.providerMessage).toBe('Lý do');
  });

  it.each([1, 2, 99])('status %i is not a failure', (status) => {
    expect(cardFailureOf(report({ ...documentAnswer, status }))).toBeNull();
    expect(cardRefusalOf(report({ ...documentAnswer, status }))).toBeNull();
  });
});
