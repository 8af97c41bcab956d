// The one way connectors talk HTTP: a timeout on every call, retries with
// backoff only for calls that are safe to repeat, and errors that say whether a
// money-moving call may have reached the provider.
import { ProviderUnavailableError } from './errors.js';
import type { ProviderId } from './types.js';

export interface ProviderHttpOptions {
  /** Milliseconds before a call is abandoned. */
  timeoutMs: number;
  /** Extra attempts for idempotent calls (reads, status queries). */
  safeRetries: number;
  /** First backoff in ms; doubles each attempt. */
  backoffMs: number;
  /** Tests and the sandbox can hand in their own fetch; production uses the global one. */
  fetch?: typeof fetch;
  /** Called once per attempt, for logs and metrics. Never receives bodies: they may hold secrets. */
  onAttempt?: (event: { provider: ProviderId; method: string; path: string; status?: number; ms: number; error?: string }) => void;
}

export const defaultHttpOptions: ProviderHttpOptions = { timeoutMs: 15_000, safeRetries: 2, backoffMs: 200 };

export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  /**
   * `safe`: a read or status query, retried on network errors, timeouts and 5xx.
   * `money`: moves money or creates something; sent once. A timeout or network
   * error then means "outcome unknown".
   */
  idempotency: 'safe' | 'money';
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
}

export async function providerFetch(provider: ProviderId, request: ProviderRequest, options: ProviderHttpOptions): Promise<ProviderResponse> {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(request.url);
  const attempts = request.idempotency === 'safe' ? 1 + options.safeRetries : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 1)));
    const started = performance.now();
    try {
      const response = await doFetch(url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      options.onAttempt?.({ provider, method: request.method, path: url.pathname, status: response.status, ms: performance.now() - started });
      if (response.status >= 500) {
        // The provider broke mid-request: for a money call the outcome is unknown.
        lastError = new ProviderUnavailableError(provider, `${request.method} ${url.pathname}: HTTP ${response.status} ${text.slice(0, 200)}`, request.idempotency === 'money');
        continue;
      }
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      const message = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : String((error as Error)?.message ?? error);
      options.onAttempt?.({ provider, method: request.method, path: url.pathname, ms: performance.now() - started, error: message });
      lastError = new ProviderUnavailableError(provider, `${request.method} ${url.pathname}: ${message}`, request.idempotency === 'money', { cause: error });
    }
  }
  throw lastError;
}

/** Parses a JSON body or returns undefined; connectors validate the shape with zod. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
