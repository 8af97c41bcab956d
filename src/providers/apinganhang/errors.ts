// The document's error table: every failure is an HTTP status with
// {"success":false,"message":"..."}. Each status becomes a typed error
// carrying the document's meaning; the provider's message is kept beside it.
import { parseJson } from '../http.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderRefusedError, type ProviderError } from '../../errors/index.js';

const PROVIDER = 'APINGANHANG' as const;

/** HTTP statuses the document lists (500 never gets here: providerFetch turns 5xx into ProviderUnavailableError). */
export const documentedErrorStatuses = {
  400: { meaning: 'bad request, or the login to the bank failed', retryable: false },
  401: { meaning: 'not logged in, or the token is not valid', retryable: false },
  403: { meaning: 'the API package has expired: renew it (extension/renewal) before calling again', retryable: false },
  404: { meaning: 'not found', retryable: false },
  405: { meaning: 'method not supported', retryable: false },
  422: { meaning: 'a field is missing or invalid', retryable: false },
} as const;

export type DocumentedErrorStatus = keyof typeof documentedErrorStatuses;

/** The one actionable refusal: the merchant must renew the package; retrying will not help. */
export const PACKAGE_EXPIRED_CODE = '403';

export class ApiPackageExpiredError extends ProviderRefusedError {
  /** A stable name the services can switch on without importing this class. */
  readonly reason = 'PACKAGE_EXPIRED' as const;
}

export function isPackageExpired(error: unknown): error is ApiPackageExpiredError {
  return error instanceof ApiPackageExpiredError;
}

/** The provider's own message, when the body is the documented {success:false, message}. */
export function providerMessageOf(text: string): string | undefined {
  const body = parseJson(text);
  if (body && typeof body === 'object' && 'message' in body && typeof (body as { message: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return undefined;
}

function isDocumented(status: number): status is DocumentedErrorStatus {
  return status in documentedErrorStatuses;
}

/**
 * The typed error for a non-200 answer. `redact` removes our secrets from any
 * text kept on the error (a provider may echo a field back).
 */
export function errorFromHttp(operation: string, status: number, text: string, redact: (text: string) => string): ProviderError {
  const providerMessage = providerMessageOf(text);
  const said = providerMessage ? redact(providerMessage) : undefined;
  if (!isDocumented(status)) {
    return new ProviderBadResponseError(PROVIDER, `API Ngân hàng answered ${operation} with undocumented HTTP ${status}`, redact(text.slice(0, 2000)));
  }
  const { meaning, retryable } = documentedErrorStatuses[status];
  const message = `API Ngân hàng refused ${operation}: ${meaning}${said ? ` (${said})` : ''}`;
  if (status === 401) return new ProviderAuthError(PROVIDER, message, '401');
  const options = { retryable, providerMessage: said, httpStatus: status };
  if (status === 403) return new ApiPackageExpiredError(PROVIDER, PACKAGE_EXPIRED_CODE, message, options);
  return new ProviderRefusedError(PROVIDER, String(status), message, options);
}

/** A 200 whose body says success:false (not in the document, but PHP APIs do it). */
export function refusedInBody(operation: string, text: string, redact: (text: string) => string): ProviderRefusedError {
  const said = providerMessageOf(text);
  return new ProviderRefusedError(PROVIDER, 'success:false', `API Ngân hàng refused ${operation}${said ? `: ${redact(said)}` : ''}`, {
    providerMessage: said ? redact(said) : undefined,
    httpStatus: 200,
  });
}
