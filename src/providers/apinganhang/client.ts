// The HTTP side of API Ngân hàng: URLs (with per-merchant path overrides), the
// Bearer token (cached; on a 401 one fresh login and one retry, which is safe
// even for money calls because a 401 means the call was not executed), JSON
// bodies, and error answers → typed errors. Every call goes through
// providerFetch, so it has a timeout.
import { z } from 'zod';
import { defaultHttpOptions, parseJson, providerFetch, type ProviderHttpOptions, type ProviderResponse } from '../http.js';
import type { ApiNganHangCredentials } from './credentials.js';
import { errorFromHttp, providerMessageOf, refusedInBody } from './errors.js';
import { defaultPaths, pathOf, type ApiNganHangOperation } from './paths.js';
import { createRedactor, type Redactor } from './redact.js';
import { loginAnswerSchema, type LoginAnswer } from './schemas.js';
import { sharedTokenCache, tokenCacheKey, type TokenCache } from './token-cache.js';
import { ProviderAuthError, ProviderBadResponseError } from '../../errors/index.js';

const PROVIDER = 'APINGANHANG' as const;

export interface ApiNganHangClientOptions {
  http?: Partial<ProviderHttpOptions>;
  /** Defaults to one cache shared by the process. */
  tokenCache?: TokenCache;
}

export interface Answer<T> {
  data: T;
  /** The parsed JSON with secrets masked: what an order event may store. */
  raw: unknown;
}

export type QueryValue = string | number | undefined;

export interface CallRequest {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: Record<string, unknown>;
  /** `money` for calls that move money or create something: sent once, never re-sent blindly. */
  idempotency: 'safe' | 'money';
}

export interface ApiNganHangHttp {
  readonly credentials: ApiNganHangCredentials;
  readonly redactor: Redactor;
  /** An authenticated call answering documented JSON. */
  json<S extends z.ZodTypeAny>(operation: ApiNganHangOperation, request: CallRequest, schema: S): Promise<Answer<z.output<S>>>;
  /** An authenticated call answering text (the CSV export). */
  text(operation: ApiNganHangOperation, request: CallRequest): Promise<string>;
  /** The one call without a token. */
  ping(): Promise<boolean>;
  /** Logs in now (replacing any cached token); the answer holds no token. */
  login(): Promise<Answer<LoginAnswer['user']>>;
  /** Forgets the cached token (after a logout). */
  forgetToken(): void;
}

export function createApiNganHangHttp(credentials: ApiNganHangCredentials, options: ApiNganHangClientOptions = {}): ApiNganHangHttp {
  const http: ProviderHttpOptions = { ...defaultHttpOptions, ...options.http };
  const cache = options.tokenCache ?? sharedTokenCache;
  const cacheKey = tokenCacheKey(credentials.baseUrl, credentials.username, credentials.password);
  const redactor = createRedactor([
    credentials.password,
    credentials.webhookSecret,
    credentials.hub.sharkpay?.payinSecretKey,
    credentials.hub.sharkpay?.payoutSecretKey,
    credentials.hub.wowpay?.payinSecretKey,
    credentials.hub.wowpay?.payoutSecretKey,
  ]);
  let loggingIn: Promise<{ token: string; answer: Answer<LoginAnswer['user']> }> | undefined;

  function urlOf(operation: ApiNganHangOperation, query: Record<string, QueryValue> = {}): URL {
    const url = new URL(credentials.baseUrl + pathOf(operation, credentials.paths));
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    return url;
  }

  async function fetchOnce(operation: ApiNganHangOperation, request: CallRequest, token: string | undefined): Promise<ProviderResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(request.body);
    }
    return providerFetch(PROVIDER, { method: defaultPaths[operation].method, url: urlOf(operation, request.query), headers, body, idempotency: request.idempotency }, http);
  }

  // Concurrent callers share one login: a burst of 401s triggers a single re-login.
  function freshLogin() {
    loggingIn ??= (async () => {
      try {
        const response = await fetchOnce('login', { body: { username: credentials.username, password: credentials.password }, idempotency: 'safe' }, undefined);
        if (response.status === 400 || response.status === 401 || response.status === 422) {
          const said = providerMessageOf(response.text);
          throw new ProviderAuthError(PROVIDER, `API Ngân hàng refused the login (HTTP ${response.status})${said ? `: ${redactor.text(said)}` : ''}`, String(response.status));
        }
        const answer = decode('login', response, loginAnswerSchema);
        redactor.remember(answer.data.token);
        cache.set(cacheKey, answer.data.token);
        return { token: answer.data.token, answer: { data: answer.data.user, raw: answer.raw } };
      } finally {
        loggingIn = undefined;
      }
    })();
    return loggingIn;
  }

  async function currentToken(): Promise<string> {
    const cached = cache.get(cacheKey);
    if (cached) {
      redactor.remember(cached);
      return cached;
    }
    return (await freshLogin()).token;
  }

  async function authenticated(operation: ApiNganHangOperation, request: CallRequest): Promise<ProviderResponse> {
    const token = await currentToken();
    const response = await fetchOnce(operation, request, token);
    if (response.status !== 401) return response;
    // The token was reset (admin) or logged out elsewhere. A 401 means nothing
    // was executed, so one retry with a fresh login is safe for every call.
    cache.drop(cacheKey, token);
    return fetchOnce(operation, request, await currentToken());
  }

  function decode<S extends z.ZodTypeAny>(operation: ApiNganHangOperation, response: ProviderResponse, schema: S): Answer<z.output<S>> {
    if (response.status < 200 || response.status > 299) throw errorFromHttp(operation, response.status, response.text, redactor.text);
    const body = parseJson(response.text);
    if (body === undefined) throw new ProviderBadResponseError(PROVIDER, `API Ngân hàng answered ${operation} with a body that is not JSON`, redactor.text(response.text.slice(0, 2000)));
    if (body && typeof body === 'object' && (body as { success?: unknown }).success === false) throw refusedInBody(operation, response.text, redactor.text);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
      throw new ProviderBadResponseError(PROVIDER, `API Ngân hàng answered ${operation} in an unexpected shape (${issues})`, JSON.stringify(redactor.value(body)).slice(0, 2000));
    }
    return { data: parsed.data, raw: redactor.value(body) };
  }

  return {
    credentials,
    redactor,
    async json(operation, request, schema) {
      return decode(operation, await authenticated(operation, request), schema);
    },
    async text(operation, request) {
      const response = await authenticated(operation, request);
      if (response.status < 200 || response.status > 299) throw errorFromHttp(operation, response.status, response.text, redactor.text);
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json')) {
        const body = parseJson(response.text);
        if (body && typeof body === 'object' && (body as { success?: unknown }).success === false) throw refusedInBody(operation, response.text, redactor.text);
      }
      // fetch decodes UTF-8 and drops a BOM already; a second BOM (double-encoded) is dropped too.
      return response.text.replace(/^\uFEFF/, '');
    },
    async ping() {
      const response = await fetchOnce('ping', { idempotency: 'safe' }, undefined);
      return decode('ping', response, z.object({ ok: z.boolean() })).data.ok;
    },
    async login() {
      const cached = cache.get(cacheKey);
      if (cached) cache.drop(cacheKey, cached);
      return (await freshLogin()).answer;
    },
    forgetToken() {
      const cached = cache.get(cacheKey);
      if (cached) cache.drop(cacheKey, cached);
    },
  };
}
