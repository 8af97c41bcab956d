// paygraph's GraphQL API, as the console speaks it: queries and mutations over
// HTTP, subscriptions over graphql-ws on the same path, every document typed
// by the codegen client preset (console/src/gql, from schema.graphql).
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './gql/graphql.js';
import { endSession, session } from './session.js';
import { createStore } from './store.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** GraphQL's extensions.code, or a typed error's __typename. */
    readonly code?: string,
    /** A typed error's fields (ValidationError.field, ReviewRefusedError.code …). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const GRAPHQL_PATH = '/graphql';

interface GraphQLBody<R> {
  data?: R;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One query or mutation. `key`: another credential than the session's (sign-in). */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables?: V, key = session.get()?.key): Promise<R> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
  });
  const body = (await response.json().catch(() => null)) as GraphQLBody<R> | null;
  const error = body?.errors?.[0];
  if (response.status === 401 || error?.extensions?.code === 'UNAUTHENTICATED') {
    // The session's key expired or was revoked elsewhere: back to the sign-in page.
    if (key && key === session.get()?.key) endSession('expired');
    throw new ApiError(error?.message ?? 'unauthenticated', 'UNAUTHENTICATED');
  }
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!response.ok || !body?.data) throw new ApiError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  return body.data;
}

/** A mutation's (or query's) result union: the data of its Success member, or an ApiError with the typed error. */
export function unwrap<T>(result: { __typename?: string; data?: T; message?: string } & Record<string, unknown>): T {
  if (result.__typename?.endsWith('Success')) return result.data as T;
  const { __typename, message, ...details } = result;
  throw new ApiError(message ?? __typename ?? 'refused', __typename, details);
}

// ---- subscriptions ---------------------------------------------------------------

/** idle: no subscription open (the socket closes when none is left). */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'retrying';
export const connection = createStore<ConnectionState>('idle');

let client: Client | undefined;
let clientKey: string | undefined;

function socketClient(): Client {
  const key = session.get()?.key;
  if (client && clientKey === key) return client;
  void client?.dispose();
  clientKey = key;
  client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    // 4403: the key was revoked or expired — retrying cannot help.
    shouldRetry: (event) => !(event instanceof CloseEvent && event.code === 4403),
    on: {
      connecting: () => connection.set('connecting'),
      connected: () => connection.set('live'),
      closed: (event) => {
        const code = (event as CloseEvent).code;
        if (code === 4403 && key === session.get()?.key) endSession('expired');
        else connection.set(code === 1000 ? 'idle' : 'retrying');
      },
    },
  });
  return client;
}

/** Follows a subscription; returns the function that ends it. */
export function subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V, onData: (data: R) => void, onError?: (error: unknown) => void): () => void {
  return socketClient().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (message) => {
        if (message.data) onData(message.data as R);
      },
      error: (error) => onError?.(error),
      complete: () => {},
    },
  );
}

/** At sign-out: the socket closes with the session. */
export function closeSubscriptions() {
  void client?.dispose();
  client = undefined;
  clientKey = undefined;
}
