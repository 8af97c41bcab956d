// Structured logs (pino). Secrets are redacted by path wherever they could
// appear, and request logs carry the request id.
import pino, { type Logger } from 'pino';
import { currentRequestId } from './http/request-context.js';

export type { Logger };

export const redactPaths = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.password',
  '*.secret',
  '*.secretKey',
  '*.privateKey',
  '*.apiKey',
  '*.partnerKey',
  '*.code',
  '*.serial',
  '*.token',
  'password',
  'token',
  'apiKey',
];

/** Prisma's error codes (P2002 …) are not secrets, though they sit in a `code` field like card codes. */
const prismaErrorCode = /^P\d{4}$/;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: (value, path) => (path.at(-1) === 'code' && typeof value === 'string' && prismaErrorCode.test(value) ? value : '[redacted]') },
      base: { service: 'paygraph' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      // `requestId` is the HTTP request's: a logged object's own requestId (an
      // order's or a card charge's, sent to a provider) is kept beside it, never over it.
      mixinMergeStrategy: (logged, mixed) => {
        const own = (logged as { requestId?: unknown }).requestId;
        const http = (mixed as { requestId?: unknown }).requestId;
        if (own === undefined || http === undefined || own === http) return Object.assign(mixed, logged);
        return Object.assign(mixed, logged, { requestId: http, providerRequestId: own });
      },
    },
    destination,
  );
}
