// What a card looks like before we spend a request on it: which telcos the
// merchant accepts, which face values each telco prints, and the shape of a
// code and a serial. The document names none of this; these defaults are our
// reading of the Vietnamese card market and every one can be overridden in the
// credentials (providers.md: "keep it a validated string list in config").

/** Telcos accepted when the credentials name none. */
export const defaultTelcos = ['VIETTEL', 'MOBIFONE', 'VINAPHONE', 'VIETNAMOBILE', 'ZING', 'GATE'] as const;

const telecomFaceValues = [10_000n, 20_000n, 30_000n, 50_000n, 100_000n, 200_000n, 300_000n, 500_000n];
const gameFaceValues = [10_000n, 20_000n, 50_000n, 100_000n, 200_000n, 500_000n, 1_000_000n];

/** Face values per telco (đồng). Viettel also prints 1 000 000; game cards skip 30 000 and 300 000. */
export const defaultFaceValues: Readonly<Record<string, readonly bigint[]>> = {
  VIETTEL: [...telecomFaceValues, 1_000_000n],
  MOBIFONE: telecomFaceValues,
  VINAPHONE: telecomFaceValues,
  VIETNAMOBILE: telecomFaceValues,
  ZING: gameFaceValues,
  GATE: gameFaceValues,
};

/** For a telco listed in the credentials that no table here knows. */
export const fallbackFaceValues: readonly bigint[] = [...telecomFaceValues, 1_000_000n];

export interface FieldShape {
  /** `digits`: 0-9 only; `alnum`: A-Z and 0-9 (game cards print letters). */
  charset: 'digits' | 'alnum';
  minLength: number;
  maxLength: number;
}

export interface CardShape {
  code: FieldShape;
  serial: FieldShape;
}

const digits = (minLength: number, maxLength = minLength): FieldShape => ({ charset: 'digits', minLength, maxLength });
const alnum = (minLength: number, maxLength = minLength): FieldShape => ({ charset: 'alnum', minLength, maxLength });

/**
 * Lengths per telco, kept a little wider than the cards printed today because
 * telcos change series (the document's own examples: Viettel code 15 / serial
 * 14, Mobifone code 12 / serial 15).
 */
export const defaultCardShapes: Readonly<Record<string, CardShape>> = {
  VIETTEL: { code: digits(13, 15), serial: digits(11, 14) },
  MOBIFONE: { code: digits(12, 14), serial: digits(14, 15) },
  VINAPHONE: { code: digits(12, 14), serial: digits(14, 15) },
  VIETNAMOBILE: { code: digits(12, 13), serial: digits(11, 16) },
  ZING: { code: alnum(9), serial: alnum(12) },
  GATE: { code: digits(10), serial: alnum(10) },
};

/** For a telco with no known shape: anything plausible, letters or digits. */
export const fallbackCardShape: CardShape = { code: alnum(6, 20), serial: alnum(6, 20) };

export interface CardRules {
  telcos: readonly string[];
  faceValuesOf(telco: string): readonly bigint[];
  shapeOf(telco: string): CardShape;
}

export function buildCardRules(settings: {
  telcos: readonly string[];
  faceValues?: Readonly<Record<string, readonly bigint[]>>;
  cardShapes?: Readonly<Record<string, CardShape>>;
}): CardRules {
  return {
    telcos: settings.telcos,
    faceValuesOf: (telco) => settings.faceValues?.[telco] ?? defaultFaceValues[telco] ?? fallbackFaceValues,
    shapeOf: (telco) => settings.cardShapes?.[telco] ?? defaultCardShapes[telco] ?? fallbackCardShape,
  };
}

export type CardInputField = 'telco' | 'code' | 'serial' | 'declaredValue' | 'requestId';

/** One problem with a card before submission. Never carries the code or serial themselves. */
export interface CardInputIssue {
  field: CardInputField;
  code: 'UNKNOWN_TELCO' | 'FACE_VALUE_NOT_OFFERED' | 'BAD_CHARSET' | 'BAD_LENGTH' | 'EMPTY';
  message: string;
}

function checkShape(field: 'code' | 'serial', value: string, shape: FieldShape): CardInputIssue | null {
  if (value.length === 0) return { field, code: 'EMPTY', message: `${field} is empty` };
  const pattern = shape.charset === 'digits' ? /^[0-9]+$/ : /^[A-Za-z0-9]+$/;
  if (!pattern.test(value)) {
    return { field, code: 'BAD_CHARSET', message: `${field} must hold ${shape.charset === 'digits' ? 'digits only' : 'letters and digits only'}` };
  }
  if (value.length < shape.minLength || value.length > shape.maxLength) {
    const expected = shape.minLength === shape.maxLength ? `${shape.minLength}` : `${shape.minLength}–${shape.maxLength}`;
    return { field, code: 'BAD_LENGTH', message: `${field} must be ${expected} characters long, got ${value.length}` };
  }
  return null;
}

/** Every problem with a card, or an empty list. Messages name lengths and fields, never the values. */
export function validateCardInput(
  rules: CardRules,
  input: { telco: string; code: string; serial: string; declaredValue: bigint; requestId: string },
): CardInputIssue[] {
  const issues: CardInputIssue[] = [];
  if (input.requestId.trim().length === 0) issues.push({ field: 'requestId', code: 'EMPTY', message: 'requestId is empty' });
  if (!rules.telcos.includes(input.telco)) {
    issues.push({ field: 'telco', code: 'UNKNOWN_TELCO', message: `telco ${JSON.stringify(input.telco)} is not accepted (accepted: ${rules.telcos.join(', ')})` });
    return issues; // face values and shapes depend on the telco
  }
  if (!rules.faceValuesOf(input.telco).includes(input.declaredValue)) {
    issues.push({
      field: 'declaredValue',
      code: 'FACE_VALUE_NOT_OFFERED',
      message: `${input.telco} cards do not come in ${input.declaredValue} đồng (offered: ${rules.faceValuesOf(input.telco).join(', ')})`,
    });
  }
  const shape = rules.shapeOf(input.telco);
  const codeIssue = checkShape('code', input.code, shape.code);
  if (codeIssue) issues.push(codeIssue);
  const serialIssue = checkShape('serial', input.serial, shape.serial);
  if (serialIssue) issues.push(serialIssue);
  return issues;
}
