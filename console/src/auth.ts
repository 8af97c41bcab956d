// Signing in and out. Signing in turns the typed key into a session key of
// the console's own (createApiKey with a lifetime) and forgets the typed one;
// signing out revokes the session key, which also closes its connections.
import { ApiError, closeSubscriptions, request, unwrap } from './api.js';
import { graphql } from './gql/index.js';
import { SESSION_MINUTES, endSession, session, sessionKeyName, startSession } from './session.js';

const CreateSessionKey = graphql(`
  mutation ConsoleCreateSessionKey($name: String!, $expiresInMinutes: Int!) {
    createApiKey(name: $name, expiresInMinutes: $expiresInMinutes) {
      __typename
      ... on MutationCreateApiKeySuccess { data { secret apiKey { id expiresAt } } }
      ... on Error { message }
    }
  }
`);

const WhoAmI = graphql(`
  query ConsoleWhoAmI {
    merchant { id name sandbox }
  }
`);

const RevokeSessionKey = graphql(`
  mutation ConsoleRevokeSessionKey($id: ID!) {
    revokeApiKey(id: $id) { __typename }
  }
`);

/** Resolves when signed in; throws ApiError('…', 'UNAUTHENTICATED') for a refused key. */
export async function signIn(typedKey: string, operator: string): Promise<void> {
  const name = operator.trim().slice(0, 60);
  const created = unwrap((await request(CreateSessionKey, { name: sessionKeyName(name), expiresInMinutes: SESSION_MINUTES }, typedKey.trim())).createApiKey);
  const { merchant } = await request(WhoAmI, {}, created.secret);
  startSession({
    key: created.secret,
    keyId: created.apiKey.id,
    expiresAt: created.apiKey.expiresAt ?? new Date(Date.now() + SESSION_MINUTES * 60_000).toISOString(),
    operator: name,
    merchantName: merchant.name,
    sandbox: merchant.sandbox,
  });
}

export async function signOut(): Promise<void> {
  const current = session.get();
  closeSubscriptions();
  if (current) {
    // Revoked with itself; if that fails (already expired), it stops at its expiry anyway.
    await request(RevokeSessionKey, { id: current.keyId }).catch((error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
    });
  }
  endSession('signedOut');
}
