// Vietnamese đồng has no minor unit: every amount is a whole number of đồng,
// held as a bigint. Providers print amounts in several ways; each is parsed
// exactly, and anything that is not a whole number of đồng is refused.

export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';
  constructor(readonly input: unknown, reason: string) {
    super(`not a whole number of đồng (${reason}): ${JSON.stringify(typeof input === 'bigint' ? input.toString() : input)}`);
  }
}

const plainInteger = /^-?\d+$/;
/** "200000.00", "200000.0" — a decimal point followed only by zeros. */
const zeroFraction = /^(-?\d+)\.0+$/;
/** "100.000", "1.000.000" — dots grouping thousands, as Vietnamese prints them. */
const dotGrouped = /^-?\d{1,3}(\.\d{3})+$/;
/** "100,000", "1,000,000" — commas grouping thousands. */
const commaGrouped = /^-?\d{1,3}(,\d{3})+$/;

/**
 * Parses a provider amount into đồng.
 * Accepts integers (number or bigint), and strings of digits, digits with a
 * zero fraction ("200000.00") or digits grouped by thousands ("100.000").
 * A dot followed by exactly three digits per group is a thousands separator
 * ("1.500" is one thousand five hundred); other fractions must be all zeros
 * ("200000.00"); "1.5" or "1.50" are refused.
 */
export function parseDong(input: unknown): bigint {
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new MoneyFormatError(input, 'not finite');
    if (!Number.isInteger(input)) throw new MoneyFormatError(input, 'fractional');
    if (!Number.isSafeInteger(input)) throw new MoneyFormatError(input, 'beyond exact range');
    return BigInt(input);
  }
  if (typeof input !== 'string') throw new MoneyFormatError(input, 'not a number or string');
  const text = input.trim();
  if (plainInteger.test(text)) return BigInt(text);
  // Grouping first: "100.000" is one hundred thousand đồng (how the Payment Hub
  // document writes it), not one hundred with a zero fraction.
  if (dotGrouped.test(text)) return BigInt(text.replaceAll('.', ''));
  const zeros = zeroFraction.exec(text);
  if (zeros) return BigInt(zeros[1]!);
  if (commaGrouped.test(text)) return BigInt(text.replaceAll(',', ''));
  if (/^-?\d*\.\d+$/.test(text)) throw new MoneyFormatError(input, 'fractional');
  throw new MoneyFormatError(input, 'malformed');
}

/** Like parseDong, but also refuses zero and negative amounts. */
export function parsePositiveDong(input: unknown): bigint {
  const value = parseDong(input);
  if (value <= 0n) throw new MoneyFormatError(input, 'not positive');
  return value;
}

/** A JSON number for providers that want one; refuses amounts a double cannot hold exactly. */
export function dongToNumber(amount: bigint): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyFormatError(amount, 'beyond exact range');
  }
  return Number(amount);
}

/** "1.500.000 ₫" — for people, never for machines. */
export function formatDong(amount: bigint): string {
  const sign = amount < 0n ? '-' : '';
  const digits = (amount < 0n ? -amount : amount).toString();
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}
