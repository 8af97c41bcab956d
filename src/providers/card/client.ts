// The HTTP side: one URL, form fields, one signature. The document's example
// sends multipart --form under a "Content-Type: application/json" header,
// which contradicts itself; we send application/x-www-form-urlencoded, which
// every PHP-style endpoint of this family reads into the same fields.
import { parseJson, providerFetch, type ProviderHttpOptions } from '../http.js';
import type { CardCredentials } from './credentials.js';
import { redactSecrets } from './mask.js';
import type { CardChargeReport } from './report.js';
import { cardPayloadSchema, describeIssues } from './schemas.js';
import { cardSign } from './signing.js';
import { toCardReport } from './status.js';
import { ProviderBadResponseError, ProviderError, ProviderUnavailableError } from '../../errors/index.js';

export type CardCommand = 'charging' | 'check';

export interface CardRequestFields {
  telco: string;
  code: string;
  serial: string;
  declaredValue: bigint;
  requestId: string;
}

/** The form fields in the document's order. */
export function cardFormFields(credentials: CardCredentials, command: CardCommand, card: CardRequestFields): [string, string][] {
  return [
    ['telco', card.telco],
    ['code', card.code],
    ['serial', card.serial],
    ['amount', card.declaredValue.toString()],
    ['request_id', card.requestId],
    ['partner_id', credentials.partnerId],
    ['sign', cardSign(credentials.partnerKey, card.code, card.serial)],
    ['command', command],
  ];
}

/**
 * Sends one command and reads the answer into a report.
 * `charging` moves money (the card is spent): sent once, a timeout means the
 * outcome is unknown. `check` only reads, so it is retried.
 */
export async function sendCardCommand(
  credentials: CardCredentials,
  http: ProviderHttpOptions,
  command: CardCommand,
  card: CardRequestFields,
): Promise<CardChargeReport> {
  const secrets = [card.code, card.serial, credentials.partnerKey];
  const fields = new URLSearchParams(cardFormFields(credentials, command, card));
  const url = new URL(credentials.baseUrl);
  const idempotency = command === 'charging' ? 'money' : 'safe';
  let response;
  try {
    if (credentials.submitMethod === 'GET') {
      for (const [key, value] of fields) url.searchParams.set(key, value);
      response = await providerFetch('CARD', { method: 'GET', url, headers: { accept: 'application/json' }, idempotency, operation: command }, http);
    } else {
      response = await providerFetch(
        'CARD',
        {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: fields.toString(),
          idempotency,
          operation: command,
        },
        http,
      );
    }
  } catch (error) {
    // providerFetch quotes the start of a 5xx body, which may echo the card.
    if (error instanceof ProviderUnavailableError) {
      throw new ProviderUnavailableError('CARD', redactSecrets(error.message, secrets), error.outcomeUnknown, { cause: error.cause });
    }
    if (error instanceof ProviderError) throw error;
    throw new ProviderUnavailableError('CARD', `${command}: ${redactSecrets(String((error as Error)?.message ?? error), secrets)}`, idempotency === 'money');
  }

  const body = redactSecrets(response.text, secrets);
  if (response.status !== 200) {
    throw new ProviderBadResponseError('CARD', `${command}: HTTP ${response.status} (the provider answers 200 with a status field)`, body.slice(0, 2000));
  }
  const json = parseJson(response.text);
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ProviderBadResponseError('CARD', `${command}: the answer is not a JSON object`, body.slice(0, 2000));
  }
  const parsed = cardPayloadSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderBadResponseError('CARD', `${command}: unexpected answer (${describeIssues(parsed.error)})`, body.slice(0, 2000));
  }
  // A report about another charge must never be applied to this one.
  if (parsed.data.request_id !== undefined && parsed.data.request_id !== card.requestId) {
    throw new ProviderBadResponseError('CARD', `${command}: the answer is about request_id ${parsed.data.request_id}, not ${card.requestId}`, body.slice(0, 2000));
  }
  return toCardReport(parsed.data, json as Record<string, unknown>);
}
