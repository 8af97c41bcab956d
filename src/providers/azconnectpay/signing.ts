// The Checksum header: hex HMAC-MD5, keyed with the private key, over a
// JSON.stringify of the fields in the document's order. Key order matters
// (JSON.stringify keeps insertion order), and the amount is a JSON number.
import { createHmac } from 'node:crypto';

export interface CashInSignedFields {
  amount: number;
  request_id: string;
  type: string;
  callback?: string;
}

export interface CashOutSignedFields {
  request_id: string;
  type: string;
  amount: number;
  account: string;
  bank_code: string;
  bank_fullname: string;
  callback?: string;
}

/** The document's bodyToSign for cash-in: amount, request_id, type, callback (|| ""). */
export function cashInSigningString(fields: CashInSignedFields): string {
  return JSON.stringify({ amount: fields.amount, request_id: fields.request_id, type: fields.type, callback: fields.callback || '' });
}

/**
 * Cash-out: the document names the fields (request_id, type, amount, account,
 * bank_code, bank_fullname, callback) but also says "HMAC-MD5(JSON body)".
 * Decision (providers.md): a JSON.stringify of exactly those seven keys in
 * that order, callback || "" as for cash-in; the body we send is that same
 * string, so both readings agree.
 */
export function cashOutSigningString(fields: CashOutSignedFields): string {
  return JSON.stringify({
    request_id: fields.request_id,
    type: fields.type,
    amount: fields.amount,
    account: fields.account,
    bank_code: fields.bank_code,
    bank_fullname: fields.bank_fullname,
    callback: fields.callback || '',
  });
}

export function checksum(privateKey: string, signingString: string): string {
  return createHmac('md5', privateKey).update(signingString, 'utf8').digest('hex');
}
