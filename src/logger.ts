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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'paygraph' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}
