// The failures of the provider operations exposed one by one (Hub settings
// and test, the provider's CSV export) that a caller can act on and that no
// other error type already says.
import { PublicError } from './public-error.js';

/** The Payment Hub's gateways, as the provider names them. */
type HubGateway = 'sharkpay' | 'wowpay';

/**
 * The Payment Hub tried the member's own gateway settings and they did not
 * work (the document's test answers HTTP 400). Nothing was changed; fix the
 * settings (saveHubSettings) and test again.
 */
export class HubGatewayTestFailedError extends PublicError {
  override readonly name = 'HubGatewayTestFailedError';
  readonly publicCode = 'HUB_GATEWAY_TEST_FAILED';
  constructor(
    readonly gateway: HubGateway,
    readonly mode: 'payin' | 'payout' | null,
    /** The Hub's own words (Vietnamese), secrets removed. */
    readonly providerMessage: string | null,
  ) {
    super(`the Payment Hub's ${gateway}${mode ? ` ${mode}` : ''} test failed${providerMessage ? `: ${providerMessage}` : ''}`);
  }
}

/** The provider's CSV export came back larger than paygraph hands over in one answer: narrow the filter (dates, account, bank). */
export class BankStatementExportTooLargeError extends PublicError {
  override readonly name = 'BankStatementExportTooLargeError';
  readonly publicCode = 'BANK_STATEMENT_EXPORT_TOO_LARGE';
  constructor(
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(`API Ngân hàng's CSV export is ${bytes} bytes, more than the ${limitBytes} bytes paygraph returns at once: narrow the filter (dateFrom/dateTo, accountId, bank)`);
  }
}
