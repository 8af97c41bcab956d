import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  buildCardRules,
  defaultTelcos,
  maskSecret,
  parseCardCredentials,
  cardRulesOf,
  redactSecrets,
  validateCardInput,
} from '../../../src/providers/card/index.js';

const base = { baseUrl: 'http://127.0.0.1:1/card/chargingws/v2', partnerId: 'P1', partnerKey: 'very-secret-key' };

describe('maskSecret', () => {
  it('shows only the last 4 characters of a card serial', () => {
    expect(maskSecret('089801001443088')).toBe('…3088');
  });

  it('shows nothing of a value of 4 characters or fewer', () => {
    expect(maskSecret('1234')).toBe('…');
    expect(maskSecret('')).toBe('…');
  });

  it('never reveals more than 4 characters of anything', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 40 }), (value) => {
        const masked = maskSecret(value);
        expect(masked.startsWith('…')).toBe(true);
        expect(masked.length - 1).toBeLessThanOrEqual(4);
        if (value.length > 4) expect(value.endsWith(masked.slice(1))).toBe(true);
      }),
    );
  });

  it('redacts every occurrence of each secret in a text', () => {
    const text = '{"code":"312821445892982","serial":"10004783347874","again":"312821445892982"}';
    const redacted = redactSecrets(text, ['312821445892982', '10004783347874', undefined]);
    expect(redacted).not.toContain('312821445892982');
    expect(redacted).not.toContain('10004783347874');
    expect(redacted).toBe('{"code":"…2982","serial":"…7874","again":"…2982"}');
  });
});

describe('card validation rules', () => {
  const rules = cardRulesOf(parseCardCredentials(base));
  const good = { telco: 'VIETTEL', code: '312821445892982', serial: '10004783347874', declaredValue: 50_000n, requestId: 'r1' };

  it('accepts the document’s Viettel and Mobifone examples', () => {
    expect(validateCardInput(rules, good)).toEqual([]);
    expect(validateCardInput(rules, { telco: 'MOBIFONE', code: '664196324427', serial: '089801001443088', declaredValue: 50_000n, requestId: 'r2' })).toEqual([]);
  });

  it('defaults to the six documented telcos', () => {
    expect(rules.telcos).toEqual([...defaultTelcos]);
    expect(rules.telcos).toEqual(['VIETTEL', 'MOBIFONE', 'VINAPHONE', 'VIETNAMOBILE', 'ZING', 'GATE']);
  });

  it('refuses a telco the merchant does not accept, and says which are', () => {
    const issues = validateCardInput(rules, { ...good, telco: 'VCOIN' });
    expect(issues).toEqual([expect.objectContaining({ field: 'telco', code: 'UNKNOWN_TELCO' })]);
    expect(issues[0]!.message).toContain('VIETTEL');
  });

  it('refuses a face value the telco does not print', () => {
    expect(validateCardInput(rules, { ...good, declaredValue: 15_000n })).toEqual([expect.objectContaining({ field: 'declaredValue', code: 'FACE_VALUE_NOT_OFFERED' })]);
    // 1 000 000 exists for Viettel but not for Mobifone.
    expect(validateCardInput(rules, { ...good, declaredValue: 1_000_000n })).toEqual([]);
    expect(validateCardInput(rules, { telco: 'MOBIFONE', code: '664196324427', serial: '089801001443088', declaredValue: 1_000_000n, requestId: 'r' })).toHaveLength(1);
  });

  it('refuses codes and serials of the wrong charset or length without quoting them', () => {
    const issues = validateCardInput(rules, { ...good, code: '31282144589298X', serial: '100047' });
    expect(issues.map((issue) => [issue.field, issue.code])).toEqual([
      ['code', 'BAD_CHARSET'],
      ['serial', 'BAD_LENGTH'],
    ]);
    for (const issue of issues) {
      expect(issue.message).not.toContain('31282144589298X');
      expect(issue.message).not.toContain('100047');
    }
    expect(validateCardInput(rules, { ...good, code: '' })).toEqual([expect.objectContaining({ field: 'code', code: 'EMPTY' })]);
    expect(validateCardInput(rules, { ...good, requestId: ' ' })).toEqual([expect.objectContaining({ field: 'requestId', code: 'EMPTY' })]);
  });

  it('accepts letters in game-card codes and serials (Zing, Gate)', () => {
    expect(validateCardInput(rules, { telco: 'ZING', code: 'AB1234567', serial: 'ZZ1234567890', declaredValue: 100_000n, requestId: 'z' })).toEqual([]);
    expect(validateCardInput(rules, { telco: 'GATE', code: '1234567890', serial: 'C123456789', declaredValue: 1_000_000n, requestId: 'g' })).toEqual([]);
  });

  it('takes telcos, face values and shapes from the credentials', () => {
    const custom = cardRulesOf(
      parseCardCredentials({
        ...base,
        telcos: ['VIETTEL', 'GARENA'],
        faceValues: { VIETTEL: [10000, '20000'] },
        cardShapes: { GARENA: { code: { charset: 'digits', minLength: 16, maxLength: 16 }, serial: { charset: 'digits', minLength: 9, maxLength: 9 } } },
      }),
    );
    expect(custom.faceValuesOf('VIETTEL')).toEqual([10_000n, 20_000n]);
    expect(validateCardInput(custom, { ...good, declaredValue: 50_000n })).toHaveLength(1);
    expect(validateCardInput(custom, { telco: 'GARENA', code: '1234567890123456', serial: '123456789', declaredValue: 100_000n, requestId: 'g' })).toEqual([]);
    expect(validateCardInput(custom, { ...good, telco: 'MOBIFONE' })).toEqual([expect.objectContaining({ code: 'UNKNOWN_TELCO' })]);
  });

  it('falls back to a plausible shape and the common face values for an unknown listed telco', () => {
    const custom = buildCardRules({ telcos: ['NEWTELCO'] });
    expect(validateCardInput(custom, { telco: 'NEWTELCO', code: 'ABC123', serial: '123456', declaredValue: 1_000_000n, requestId: 'x' })).toEqual([]);
    expect(validateCardInput(custom, { telco: 'NEWTELCO', code: 'AB-123', serial: '123456', declaredValue: 1_000_000n, requestId: 'x' })).toHaveLength(1);
  });
});

describe('card credentials', () => {
  it('fills the documented defaults', () => {
    const credentials = parseCardCredentials(base);
    expect(credentials.checkEnabled).toBe(true);
    expect(credentials.submitMethod).toBe('POST');
  });

  it('names bad fields without echoing the partner key', () => {
    expect(() => parseCardCredentials({ ...base, baseUrl: 'not a url' })).toThrow(/baseUrl/);
    try {
      parseCardCredentials({ ...base, telcos: ['viettel'], faceValues: { VIETTEL: [1.5] } });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/telcos\.0/);
      expect(String(error)).toMatch(/faceValues\.VIETTEL\.0/);
      expect(String(error)).not.toContain('very-secret-key');
    }
  });

  it('refuses a card shape whose minimum exceeds its maximum', () => {
    expect(() => parseCardCredentials({ ...base, cardShapes: { VIETTEL: { code: { charset: 'digits', minLength: 16, maxLength: 12 }, serial: { charset: 'digits', minLength: 1, maxLength: 2 } } } })).toThrow(
      /cardShapes\.VIETTEL\.code/,
    );
  });
});
