// Who is calling, from an Authorization header (HTTP) or a connection_init
// payload (graphql-ws). One function for both, so both transports agree.
import type { Caller } from '../schema/builder.js';
import type { ApiKeys } from '../services/api-keys.js';

export class InvalidCredentialsError extends Error {
  override readonly name = 'InvalidCredentialsError';
}

/**
 * No header: anonymous (public fields still work). A header that is present but
 * wrong is an error, never silently anonymous: a typo'd key must not look like
 * "no data".
 */
export async function resolveCaller(authorization: string | null | undefined, apiKeys: ApiKeys): Promise<Caller> {
  if (!authorization) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new InvalidCredentialsError('Authorization must be "Bearer <API key>"');
  const key = await apiKeys.authenticate(match[1]!);
  if (!key) throw new InvalidCredentialsError('invalid or revoked API key');
  return { kind: 'merchant', merchantId: key.merchantId, apiKeyId: key.apiKeyId };
}
