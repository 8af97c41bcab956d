// The pure rules of a person's review decisions: which outcome from which
// state, which amounts must be given, and what a bank line tied by hand does
// to its order.
import { describe, expect, it } from 'vitest';
import { cardChargeResolution, checkLineCanBeTied, checkNote, manualMatchOf, orderResolution } from '../../src/services/review/decisions.js';
import { ReviewRefusedError, ValidationError } from '../../src/errors/index.js';

const refused = (code: string) => expect.objectContaining({ name: 'ReviewRefusedError', code });
const invalid = (field: string) => expect.objectContaining({ name: 'ValidationError', field });
const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error instanceof ReviewRefusedError || error instanceof ValidationError).toBe(true);
    return error;
  }
  throw new Error('expected a refusal');
};

describe('resolving an order', () => {
  const underpaid = { status: 'NEEDS_REVIEW' as const, amount: 150_000n, settledAmount: 100_000n, reviewOpenedAt: new Date() };
  const unconfirmed = { ...underpaid, settledAmount: null };

  it('accepts the money with the amount the person settles on, and asks for it when what arrived differs', () => {
    expect(orderResolution(underpaid, { outcome: 'SUCCEEDED', settledAmount: 100_000n })).toEqual({ kind: 'settle', to: 'SUCCEEDED', settledAmount: 100_000n });
    expect(thrown(() => orderResolution(underpaid, { outcome: 'SUCCEEDED' }))).toEqual(invalid('settledAmount'));
    // The whole amount accepted: the column goes back to "as expected".
    expect(orderResolution(underpaid, { outcome: 'SUCCEEDED', settledAmount: 150_000n })).toEqual({ kind: 'settle', to: 'SUCCEEDED', settledAmount: null });
    expect(orderResolution(unconfirmed, { outcome: 'SUCCEEDED' })).toEqual({ kind: 'settle', to: 'SUCCEEDED' });
    expect(thrown(() => orderResolution(unconfirmed, { outcome: 'SUCCEEDED', settledAmount: 0n }))).toEqual(invalid('settledAmount'));
  });

  it('fails an order without keeping money', () => {
    expect(orderResolution(underpaid, { outcome: 'FAILED' })).toEqual({ kind: 'settle', to: 'FAILED' });
    expect(thrown(() => orderResolution(underpaid, { outcome: 'FAILED', settledAmount: 1n }))).toEqual(invalid('settledAmount'));
  });

  it('closes the flag of a SUCCEEDED order and never fails it', () => {
    const flagged = { status: 'SUCCEEDED' as const, amount: 90_000n, settledAmount: null, reviewOpenedAt: new Date() };
    expect(orderResolution(flagged, { outcome: 'SUCCEEDED' })).toEqual({ kind: 'close-flag' });
    expect(thrown(() => orderResolution(flagged, { outcome: 'FAILED' }))).toEqual(refused('FINAL_STATUS'));
    expect(thrown(() => orderResolution(flagged, { outcome: 'SUCCEEDED', settledAmount: 1n }))).toEqual(invalid('settledAmount'));
  });

  it.each(['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED'] as const)('refuses an order %s without an open review', (status) => {
    expect(thrown(() => orderResolution({ status, amount: 1n, settledAmount: null, reviewOpenedAt: null }, { outcome: 'SUCCEEDED' }))).toEqual(refused('NOT_IN_REVIEW'));
  });
});

describe('resolving a card charge', () => {
  const charge = { status: 'NEEDS_REVIEW' as const, declaredValue: 50_000n, realValue: null, reviewOpenedAt: new Date() };

  it('settles with what the provider credited, the real value defaulting to the declared one', () => {
    expect(cardChargeResolution(charge, { outcome: 'SUCCEEDED', amountReceived: 42_000n })).toEqual({
      kind: 'settle',
      columns: { status: 'SUCCEEDED', realValue: 50_000n, amountReceived: 42_000n, valueMismatch: false },
    });
    expect(cardChargeResolution(charge, { outcome: 'SUCCEEDED', realValue: 20_000n, amountReceived: 14_000n })).toEqual({
      kind: 'settle',
      columns: { status: 'SUCCEEDED', realValue: 20_000n, amountReceived: 14_000n, valueMismatch: true },
    });
    expect(cardChargeResolution({ ...charge, realValue: 100_000n }, { outcome: 'SUCCEEDED', amountReceived: 80_000n })).toMatchObject({ columns: { realValue: 100_000n, valueMismatch: true } });
  });

  it('asks for the amount received, and never more than the face value', () => {
    expect(thrown(() => cardChargeResolution(charge, { outcome: 'SUCCEEDED' }))).toEqual(invalid('amountReceived'));
    expect(thrown(() => cardChargeResolution(charge, { outcome: 'SUCCEEDED', amountReceived: 50_001n }))).toEqual(invalid('amountReceived'));
    expect(thrown(() => cardChargeResolution(charge, { outcome: 'SUCCEEDED', amountReceived: 1n, realValue: -5n }))).toEqual(invalid('realValue'));
  });

  it('fails a charge crediting nothing', () => {
    expect(cardChargeResolution(charge, { outcome: 'FAILED' })).toEqual({ kind: 'settle', columns: { status: 'FAILED', realValue: null, amountReceived: null, valueMismatch: false } });
    expect(thrown(() => cardChargeResolution(charge, { outcome: 'FAILED', amountReceived: 1n }))).toEqual(invalid('amountReceived'));
  });

  it('closes the flag of a SUCCEEDED charge only as SUCCEEDED, and refuses a charge not in review', () => {
    const flagged = { ...charge, status: 'SUCCEEDED' as const };
    expect(cardChargeResolution(flagged, { outcome: 'SUCCEEDED' })).toEqual({ kind: 'close-flag' });
    expect(thrown(() => cardChargeResolution(flagged, { outcome: 'FAILED' }))).toEqual(refused('FINAL_STATUS'));
    expect(thrown(() => cardChargeResolution({ ...charge, status: 'PENDING', reviewOpenedAt: null }, { outcome: 'FAILED' }))).toEqual(refused('NOT_IN_REVIEW'));
  });
});

describe('tying a bank line by hand', () => {
  const line = { direction: 'IN' as const, amount: 100_000n, matchedOrderId: null, matchCheckedAt: new Date() };

  it('takes only incoming lines that no order claims and that the matcher is done with', () => {
    expect(() => checkLineCanBeTied(line)).not.toThrow();
    expect(thrown(() => checkLineCanBeTied({ ...line, direction: 'OUT', amount: -100_000n }))).toEqual(refused('NOT_INCOMING'));
    expect(thrown(() => checkLineCanBeTied({ ...line, matchedOrderId: 'some-order' }))).toEqual(refused('ALREADY_MATCHED'));
    expect(thrown(() => checkLineCanBeTied({ ...line, matchCheckedAt: null }))).toEqual(refused('STILL_MATCHING'));
  });

  it('moves the order as the statement matcher would', () => {
    const order = { kind: 'BANK_TRANSFER', amount: 100_000n, status: 'PENDING' as const };
    expect(manualMatchOf(order, line)).toEqual({ to: 'SUCCEEDED' });
    expect(manualMatchOf({ ...order, status: 'PROCESSING' }, { amount: 60_000n })).toEqual({ to: 'NEEDS_REVIEW', reason: 'UNDERPAID', received: 60_000n });
    expect(manualMatchOf(order, { amount: 130_000n })).toEqual({ to: 'NEEDS_REVIEW', reason: 'OVERPAID', received: 130_000n });
  });

  it.each(['EXPIRED', 'FAILED', 'CANCELLED'] as const)('sends a %s order to review as a late payment', (status) => {
    expect(manualMatchOf({ kind: 'BANK_TRANSFER', amount: 100_000n, status }, line)).toEqual({ to: 'NEEDS_REVIEW', reason: 'LATE_PAYMENT', received: 100_000n });
  });

  it('refuses an order that has its payment already, or that a statement line cannot pay', () => {
    for (const status of ['SUCCEEDED', 'NEEDS_REVIEW'] as const) expect(thrown(() => manualMatchOf({ kind: 'BANK_TRANSFER', amount: 1n, status }, line))).toEqual(refused('ORDER_SETTLED'));
    expect(thrown(() => manualMatchOf({ kind: 'CASH_IN', amount: 100_000n, status: 'PENDING' }, line))).toEqual(refused('NOT_BANK_TRANSFER'));
  });
});

describe('the note of a decision', () => {
  it('is required, trimmed, bounded and printable', () => {
    expect(checkNote('  khách chuyển thiếu, đã gọi xác nhận  ')).toBe('khách chuyển thiếu, đã gọi xác nhận');
    for (const bad of ['', '   ', 'x'.repeat(1001), 'a\u0000b']) expect(thrown(() => checkNote(bad))).toEqual(invalid('note'));
  });
});
