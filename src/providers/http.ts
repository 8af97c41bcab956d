// The one way connectors talk HTTP: a timeout on every call, retries with
// backoff only for calls that are safe to repeat, and errors that say whether a
// money-moving call may have reached the provider. What a provider answers is
// never put into an error a caller sees: a broken answer's start goes to the
// logs (through the provider-call event), with every value we sent removed.
import type { ProviderId } from './types.js';
import { observe, type ProviderCallOutcome } from '../observability.js';
import { ProviderUnavailableError } from '../errors/index.js';

/** How much of a 5xx answer the logs keep. */
export const ANSWER_EXCERPT_CHARS = 300;

export interface ProviderHttpOptions {
  /** Milliseconds before a call is abandoned. */
  timeoutMs: number;
  /** Extra attempts for idempotent calls (reads, status queries). */
  safeRetries: number;
  /** First backoff in ms; doubles each attempt. */
  backoffMs: number;
  /** Tests and the sandbox can hand in their own fetch; production uses the global one. */
  fetch?: typeof fetch;
  /** Called once per attempt, for logs. Never receives bodies: they may hold secrets. */
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
  /** A short name for metrics ("charging", "cash-in/status"); default: the last two segments of the path. */
  operation?: string;
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
}

export async function providerFetch(provider: ProviderId, request: ProviderRequest, options: ProviderHttpOptions): Promise<ProviderResponse> {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(request.url);
  const operation = request.operation ?? operationOf(url);
  const report = (outcome: ProviderCallOutcome, started: number, status?: number, answerExcerpt?: string) =>
    observe.providerCall({ provider, operation, method: request.method, outcome, status, seconds: (performance.now() - started) / 1000, answerExcerpt });
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
        report('server_error', started, response.status, withoutSentValues(text, url, request).slice(0, ANSWER_EXCERPT_CHARS));
        // The provider broke mid-request: for a money call the outcome is unknown.
        lastError = new ProviderUnavailableError(provider, `${request.method} ${url.pathname}: HTTP ${response.status}`, request.idempotency === 'money');
        continue;
      }
      report(response.status >= 400 ? 'client_error' : 'success', started, response.status);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const message = timedOut ? `timed out after ${options.timeoutMs} ms` : String((error as Error)?.message ?? error);
      report(timedOut ? 'timeout' : 'network_error', started);
      options.onAttempt?.({ provider, method: request.method, path: url.pathname, ms: performance.now() - started, error: message });
      // A connection that was never made (refused, no such host) carried no request: nothing can have moved.
      lastError = new ProviderUnavailableError(provider, `${request.method} ${url.pathname}: ${message}`, request.idempotency === 'money' && !neverConnected(error), { cause: error });
    }
  }
  throw lastError;
}

/** The connection was refused or the host unknown: fetch sent no byte of the request. */
function neverConnected(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } })?.cause;
  const refused = (code: unknown) => code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  // Several addresses tried (IPv4 and IPv6): an AggregateError, never connected when none connected.
  return refused(cause?.code) || (Array.isArray(cause?.errors) && cause.errors.length > 0 && cause.errors.every((e) => refused(e?.code)));
}

/** "cash-in/status" from /api/v2/cash-in/status, "transactions/index.php": the path's last two segments, when they are plain words. */
function operationOf(url: URL): string {
  const tail = url.pathname.split('/').filter(Boolean).slice(-2).join('/');
  return /^[a-z0-9][a-z0-9._/-]{0,59}$/i.test(tail) ? tail.toLowerCase() : 'other';
}

/**
 * The answer with every value of the request removed (query, headers, form or
 * JSON body): whatever a provider echoes of ours (a card code, a key, a
 * signature) stays out of the logs.
 */
export function withoutSentValues(text: string, url: URL, request: ProviderRequest): string {
  const sent = new Set<string>();
  for (const value of url.searchParams.values()) sent.add(value);
  for (const value of Object.values(request.headers ?? {})) {
    sent.add(value);
    for (const word of value.split(/\s+/)) sent.add(word);
  }
  if (request.body) {
    const json = parseJson(request.body);
    if (json !== undefined) {
      const stack: unknown[] = [json];
      while (stack.length) {
        const value = stack.pop();
        if (typeof value === 'string') sent.add(value);
        else if (typeof value === 'number') sent.add(String(value));
        else if (value && typeof value === 'object') stack.push(...Object.values(value));
      }
    } else for (const value of new URLSearchParams(request.body).values()) sent.add(value);
  }
  let redacted = text;
  // Longest first, so a value that contains another is removed whole.
  for (const value of [...sent].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) redacted = redacted.split(value).join('[sent value]');
  return redacted;
}

/** Parses a JSON body or returns undefined; connectors validate the shape with zod. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
