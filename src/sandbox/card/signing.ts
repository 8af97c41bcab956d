// The provider's side of the signature, written again on purpose (no import
// from src/providers): md5(partner_key + code + serial), lower-case hex.
import { createHash } from 'node:crypto';

export const providerSign = (partnerKey: string, code: string, serial: string): string =>
  createHash('md5').update(`${partnerKey}${code}${serial}`).digest('hex');
