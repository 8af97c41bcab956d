// Who is calling, from an Authorization header (HTTP) or a connection_init
// payload (graphql-ws). One function for both, so both transports agree.
import type { Caller } from '../schema/builder.js';
import type { ApiKeys } from '../services/api-keys.js';
import { CLIENT_TOKEN_PREFIX, type ClientTokens } from '../services/client-tokens.js';

export class InvalidCredentialsError extends Error {
  override readonly name = 'InvalidCredentialsError';
}

/** The services that turn a bearer secret into a caller. */
export interface CredentialResolvers {
  apiKeys: ApiKeys;
  clientTokens: ClientTokens;
}

/**
 * No header: anonymous (public fields still work). A header that is present but
 * wrong is an error, never silently anonymous: a typo'd key must not look like
 * "no data". `pg_ct_…` is a client token (one order, read-only), anything else
 * is tried as an API key.
 */
export async function resolveCaller(authorization: string | null | undefined, resolvers: CredentialResolvers): Promise<Caller> {
  if (!authorization) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new InvalidCredentialsError('Authorization must be "Bearer <API key or client token>"');
  const presented = match[1]!;
  if (presented.startsWith(CLIENT_TOKEN_PREFIX)) {
    const token = await resolvers.clientTokens.authenticate(presented);
    if (!token) throw new InvalidCredentialsError('invalid, expired or revoked client token');
    return { kind: 'client-token', merchantId: token.merchantId, orderId: token.orderId, tokenId: token.tokenId };
  }
  const key = await resolvers.apiKeys.authenticate(presented);
  if (!key) throw new InvalidCredentialsError('invalid or revoked API key');
  return { kind: 'merchant', merchantId: key.merchantId, apiKeyId: key.apiKeyId, expiresAt: key.expiresAt };
}
