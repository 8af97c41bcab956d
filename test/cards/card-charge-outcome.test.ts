// The pure pieces of the card-charge service, and the sealed box's fingerprint.
import { describe, expect, it } from 'vitest';
import type { CardChargeReport } from '../../src/providers/card/index.js';
import { providerMessageOf, replayConflict, sealedCardAad, settlementOf, storedFailureOf } from '../../src/services/card-charge-outcome.js';
import { SealedBox } from '../../src/services/sealed-box.js';

const card = { code: '312821234567890', serial: '10001234567890' };

function report(overrides: Partial<CardChargeReport>): CardChargeReport {
  return { status: 'SUCCEEDED', valueMismatch: false, retryable: false, providerStatus: 1, message: 'Thành công', raw: {}, ...overrides };
}

describe('settlementOf', () => {
  it('records a good card at its declared value when the report names no real value', () => {
    expect(settlementOf({ declaredValue: 50_000n }, report({ amount: 35_000n, transId: '7' }), 'SUCCEEDED', card)).toEqual({
      status: 'SUCCEEDED',
      providerStatus: 1,
      providerMessage: 'Thành công',
      valueMismatch: false,
      realValue: 50_000n,
      amountReceived: 35_000n,
      transId: '7',
    });
  });

  it('records a mismatch with the real value and the amount received', () => {
    const columns = settlementOf({ declaredValue: 50_000n }, report({ providerStatus: 2, valueMismatch: true, realValue: 30_000n, amount: 10_500n }), 'SUCCEEDED', card);
    expect([columns.valueMismatch, columns.realValue, columns.amountReceived]).toEqual([true, 30_000n, 10_500n]);
    expect(columns).not.toHaveProperty('transId');
  });

  it('records no value or amount for a failed card, whatever the report carries', () => {
    const columns = settlementOf({ declaredValue: 50_000n }, report({ status: 'FAILED', providerStatus: 3, message: 'Thẻ lỗi', realValue: 50_000n, amount: 1n }), 'FAILED', card);
    expect(columns).toMatchObject({ status: 'FAILED', providerStatus: 3, valueMismatch: false, realValue: null, amountReceived: null, providerMessage: 'Thẻ lỗi' });
  });

  it("masks the card if the provider's message echoes it", () => {
    expect(providerMessageOf({ message: `Thẻ ${card.code} serial ${card.serial} đã dùng` }, card)).toBe('Thẻ …7890 serial …7890 đã dùng');
  });
});

describe('replayConflict', () => {
  const succeeded = { status: 'SUCCEEDED' as const, providerStatus: 1, amountReceived: 35_000n };

  it('sees nothing wrong in a true duplicate', () => {
    expect(replayConflict(succeeded, report({ amount: 35_000n }))).toBeNull();
  });

  it('flags the same status with another amount', () => {
    expect(replayConflict(succeeded, report({ amount: 49_000n }))).toMatch(/amount 49000 differs from the 35000 recorded/);
  });

  it('flags another provider status with the same unified status', () => {
    expect(replayConflict(succeeded, report({ providerStatus: 2, valueMismatch: true, amount: 35_000n }))).toMatch(/status 2 differs from the recorded 1/);
    expect(replayConflict({ status: 'FAILED', providerStatus: 3, amountReceived: null }, report({ status: 'FAILED', providerStatus: 4 }))).toMatch(/status 4/);
  });

  it('leaves other statuses to the judge', () => {
    expect(replayConflict(succeeded, report({ status: 'FAILED', providerStatus: 3 }))).toBeNull();
  });
});

describe('storedFailureOf', () => {
  it('reads the failure code and retryability back from a FAILED charge', () => {
    expect(storedFailureOf({ status: 'FAILED', providerStatus: 3, providerMessage: 'Thẻ lỗi' })).toMatchObject({ code: 'CARD_INVALID', retryable: false });
    expect(storedFailureOf({ status: 'FAILED', providerStatus: 4, providerMessage: null })).toMatchObject({ code: 'PROVIDER_MAINTENANCE', retryable: true });
    expect(storedFailureOf({ status: 'FAILED', providerStatus: 100, providerMessage: 'Sai chữ ký' })).toMatchObject({ code: 'SUBMISSION_REJECTED', providerMessage: 'Sai chữ ký' });
  });

  it('has none for a charge that did not fail', () => {
    expect(storedFailureOf({ status: 'SUCCEEDED', providerStatus: 1, providerMessage: null })).toBeNull();
    expect(storedFailureOf({ status: 'PENDING', providerStatus: 99, providerMessage: null })).toBeNull();
    expect(storedFailureOf({ status: 'FAILED', providerStatus: null, providerMessage: null })).toBeNull();
  });
});

describe('sealing a card', () => {
  const box = new SealedBox({ id: 'k1', key: Buffer.alloc(32, 1) });

  it('opens only on the charge it was sealed for', () => {
    const sealed = box.seal(card, sealedCardAad('m1', 'PG1'));
    expect(sealed).not.toContain(card.code);
    expect(box.open(sealed, sealedCardAad('m1', 'PG1'))).toEqual(card);
    expect(() => box.open(sealed, sealedCardAad('m1', 'PG2'))).toThrow();
    expect(() => box.open(sealed, sealedCardAad('m2', 'PG1'))).toThrow();
  });

  it('fingerprints deterministically per key and purpose, without the value in it', () => {
    const other = new SealedBox({ id: 'k2', key: Buffer.alloc(32, 2) });
    const value = `${card.code}\n${card.serial}`;
    expect(box.fingerprint(value, 'p')).toBe(box.fingerprint(value, 'p'));
    expect(box.fingerprint(value, 'p')).not.toBe(box.fingerprint(value, 'q'));
    expect(box.fingerprint(value, 'p')).not.toBe(other.fingerprint(value, 'p'));
    expect(box.fingerprint(value, 'p')).not.toBe(box.fingerprint(`${card.code}\n10001234567891`, 'p'));
    expect(box.fingerprint(value, 'p')).not.toContain(card.code);
  });
});
