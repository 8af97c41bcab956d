import { describe, expect, it } from 'vitest';
import { azConnectPayStatuses, mapAzConnectPayStatus } from '../../../src/providers/azconnectpay/index.js';

describe('AZConnectPay status mapping', () => {
  const table: [string, string | null][] = [
    ['SUCCESS', 'SUCCEEDED'],
    ['SUCCEEDED', 'SUCCEEDED'],
    ['COMPLETED', 'SUCCEEDED'],
    ['PAID', 'SUCCEEDED'],
    ['FAILED', 'FAILED'],
    ['FAIL', 'FAILED'],
    ['ERROR', 'FAILED'],
    ['CANCEL', 'FAILED'],
    ['CANCELED', 'FAILED'],
    ['CANCELLED', 'FAILED'],
    ['REJECTED', 'FAILED'],
    ['EXPIRED', 'EXPIRED'],
    ['PENDING', 'PENDING'],
    ['WAITING', 'PENDING'],
    ['CREATED', 'PENDING'],
    ['PROCESSING', 'PROCESSING'],
    ['success', 'SUCCEEDED'],
    [' Pending ', 'PENDING'],
    ['ON_HOLD', null],
    ['REFUNDED', null],
    ['', null],
    ['true', null],
  ];
  for (const [raw, expected] of table) {
    it(`maps ${JSON.stringify(raw)} to ${expected ?? 'null (unknown, kept raw)'}`, () => {
      expect(mapAzConnectPayStatus(raw)).toBe(expected);
    });
  }

  it('maps every status name it declares', () => {
    for (const name of azConnectPayStatuses) expect(mapAzConnectPayStatus(name)).not.toBeNull();
  });
});
