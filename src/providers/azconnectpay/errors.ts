// AZConnectPay documents no error codes: every failure is `{success:false,
// message}`. We classify by HTTP status and message. Credentials problems
// (API key, checksum) become ProviderAuthError; everything else the provider
// says no to becomes ProviderRefusedError with code "success:false" and the
// provider's message kept (it is the only meaning there is).
import { failureSchema } from './schemas.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderRefusedError, type ProviderError } from '../../errors/index.js';

const PROVIDER = 'AZCONNECTPAY' as const;
export const AZCONNECTPAY_REFUSAL_CODE = 'success:false';

// Words a credentials complaint carries, in English or Vietnamese ("APIKEY không hợp lệ", "Sai checksum").
const credentialsWords = /api[\s_-]?key|checksum|signature|unauthori[sz]ed|forbidden|chữ ký/i;

/**
 * The typed error for an answer that is not a success, or null when the answer
 * looks like a success (its shape is checked by the caller). `redact` removes
 * our secrets from anything the provider echoes back.
 */
export function errorFromAnswer(operation: string, httpStatus: number, body: unknown, rawText: string, redact: (text: string) => string): ProviderError | null {
  const failure = failureSchema.safeParse(body);
  if (failure.success) {
    const providerMessage = redact(failure.data.message ?? '(no message)');
    if (httpStatus === 401 || httpStatus === 403 || credentialsWords.test(providerMessage)) {
      return new ProviderAuthError(PROVIDER, `AZConnectPay refused our credentials on ${operation}: ${providerMessage}`, `HTTP ${httpStatus}`);
    }
    return new ProviderRefusedError(PROVIDER, AZCONNECTPAY_REFUSAL_CODE, providerMessage, {
      providerMessage,
      httpStatus,
      // Rate limiting is the one refusal that waiting can cure.
      retryable: httpStatus === 429,
    });
  }
  if (httpStatus === 401 || httpStatus === 403) {
    return new ProviderAuthError(PROVIDER, `AZConnectPay refused our credentials on ${operation} (HTTP ${httpStatus})`, `HTTP ${httpStatus}`);
  }
  if (httpStatus === 429) {
    return new ProviderRefusedError(PROVIDER, 'HTTP 429', 'AZConnectPay is rate limiting us', { httpStatus, retryable: true });
  }
  if (httpStatus >= 300) {
    return new ProviderBadResponseError(PROVIDER, `AZConnectPay answered ${operation} with HTTP ${httpStatus} and no {success:false} body`, redact(rawText));
  }
  return null;
}
