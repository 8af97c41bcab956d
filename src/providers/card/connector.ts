// The card connector. Card charges are not orders, so this is not an
// OrderConnector: submit/check speak card fields and return CardChargeReport;
// the callback half matches the OrderConnector's callback methods.
import { defaultHttpOptions, type ProviderHttpOptions } from '../http.js';
import type { CallbackReply, InboundCallback } from '../types.js';
import { acknowledgeCardCallback, rejectCardCallback, verifyCardCallback, type CardCallbackVerdict } from './callback.js';
import { validateCardInput, type CardRules } from './card-rules.js';
import { sendCardCommand, type CardRequestFields } from './client.js';
import { cardRulesOf, parseCardCredentials, type CardCredentialsInput } from './credentials.js';
import { CardInputError } from './errors.js';
import type { CardChargeReport } from './report.js';
import { ProviderNotSupportedError, ProviderRefusedError } from '../../errors/index.js';

export type CardSubmitInput = CardRequestFields;

export interface CardConnector {
  readonly provider: 'CARD';
  /** Telcos, face values and shapes this merchant accepts (for GraphQL validation and listings). */
  readonly rules: CardRules;
  readonly checkEnabled: boolean;
  /**
   * Submits a card (command=charging). Sent once: a timeout throws
   * ProviderUnavailableError with outcomeUnknown, settled by check() with the
   * same request id, never by submitting again. Statuses 3, 4, 100 come back
   * as reports (see cardFailureOf); a bad card input throws CardInputError
   * before anything is sent.
   */
  submit(input: CardSubmitInput): Promise<CardChargeReport>;
  /**
   * Asks for the charge's current state (command=check, same fields and sign).
   * Throws ProviderNotSupportedError when checkEnabled is false, and
   * ProviderRefusedError code "100" when the provider cannot find or check it.
   */
  check(input: CardSubmitInput): Promise<CardChargeReport>;
  verifyCallback(callback: InboundCallback): CardCallbackVerdict;
  acknowledge(): CallbackReply;
  reject(verdict: Extract<CardCallbackVerdict, { ok: false }>): CallbackReply;
}

export function createCardConnector(credentialsInput: CardCredentialsInput, options: { http?: Partial<ProviderHttpOptions> } = {}): CardConnector {
  const credentials = parseCardCredentials(credentialsInput);
  const http: ProviderHttpOptions = { ...defaultHttpOptions, ...options.http };
  const rules = cardRulesOf(credentials);

  return {
    provider: 'CARD',
    rules,
    checkEnabled: credentials.checkEnabled,

    async submit(input) {
      const issues = validateCardInput(rules, input);
      if (issues.length > 0) throw new CardInputError(issues);
      return sendCardCommand(credentials, http, 'charging', input);
    },

    async check(input) {
      if (!credentials.checkEnabled) {
        throw new ProviderNotSupportedError('CARD', 'command=check is turned off for this provider (checkEnabled: false); wait for the callback');
      }
      const report = await sendCardCommand(credentials, http, 'check', input);
      // A 100 about no charge at all (no trans_id) is the check itself failing
      // (unknown request_id, check refused), not the card failing.
      if (report.providerStatus === 100 && report.transId === undefined) {
        throw new ProviderRefusedError('CARD', '100', 'the provider could not check this charge (not found, or check refused); the reason is in the message', {
          providerMessage: report.message,
        });
      }
      return report;
    },

    verifyCallback: (callback) => verifyCardCallback(credentials, callback),
    acknowledge: acknowledgeCardCallback,
    reject: rejectCardCallback,
  };
}
