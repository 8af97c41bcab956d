import { describe, expect, it } from 'vitest';
import { formatVietnamDate, formatVietnamTime, parseVietnamTime } from '../../src/domain/time.js';

describe('Vietnam local time', () => {
  it('reads day-first times as UTC+7', () => {
    expect(parseVietnamTime('15/04/2026 09:30:00')?.toISOString()).toBe('2026-04-15T02:30:00.000Z');
    expect(parseVietnamTime('03/12/2015 11:41')?.toISOString()).toBe('2015-12-03T04:41:00.000Z');
  });
  it('reads Y-m-d times as UTC+7, crossing midnight backwards', () => {
    expect(parseVietnamTime('2015-12-31 03:11:00')?.toISOString()).toBe('2015-12-30T20:11:00.000Z');
  });
  it('refuses impossible or foreign formats', () => {
    for (const text of ['31/02/2026 10:00:00', '2026-13-01 00:00:00', '15/04/2026', 'yesterday', '2026-04-15T09:30:00Z', '15/04/2026 24:00:00']) {
      expect(parseVietnamTime(text)).toBeNull();
    }
  });
  it('formats an instant back in Vietnam time', () => {
    const instant = new Date('2015-12-31T08:11:00Z');
    expect(formatVietnamTime(instant)).toBe('2015-12-31 15:11:00');
    expect(formatVietnamDate(new Date('2026-03-31T18:00:00Z'))).toBe('2026-04-01');
  });
});
