// One webhook request, as the Standard Webhooks specification describes it:
// the body signed with the `standardwebhooks` package (every secret in force
// signs, so a rotation's grace period carries two signatures), a POST that
// follows no redirect, reaches only addresses the URL guard allows, and gives
// up after the connect and response timeouts. Never throws: every outcome is
// an attempt to log.
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, literalAddressRefusal, type AddressPolicy } from './url-guard.js';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** What the delivery log keeps of an answer. */
export const LOGGED_BODY_CHARS = 1024;
/** What is read of an answer at most (the rest is not waited for). */
const READ_LIMIT_BYTES = 16 * 1024;

/** A new signing secret: whsec_ and 32 random bytes in base64, as the specification suggests. */
export const generateWebhookSecret = () => WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');

/** The webhook-signature header: one `v1,<base64>` per secret, separated by spaces. */
export function signatureHeader(secrets: readonly string[], messageId: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
}

export interface SenderOptions {
  policy: AddressPolicy;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

export interface WebhookMessage {
  url: string;
  /** webhook-id: the event id, the same on every attempt. */
  id: string;
  body: string;
  secrets: readonly string[];
}

export interface SendResult {
  ok: boolean;
  /** Null when no HTTP answer came. */
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

export class WebhookSender {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
  };

  constructor(private readonly options: SenderOptions) {}

  async send(message: WebhookMessage): Promise<SendResult> {
    const started = performance.now();
    const done = (result: Omit<SendResult, 'durationMs' | 'ok'>): SendResult => ({
      ...result,
      ok: result.status !== null && result.status >= 200 && result.status < 300,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = new URL(message.url);
    } catch {
      return done({ status: null, body: null, error: 'the endpoint URL is not valid' });
    }
    const agent = url.protocol === 'http:' || url.protocol === 'https:' ? this.agents[url.protocol] : undefined;
    if (!agent) return done({ status: null, body: null, error: `refused: ${url.protocol} is not allowed` });
    const refusal = literalAddressRefusal(url, this.options.policy);
    if (refusal) return done({ status: null, body: null, error: `refused to connect: ${refusal}` });
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'paygraph-webhooks/1',
      'webhook-id': message.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signatureHeader(message.secrets, message.id, now, message.body),
      'content-length': String(Buffer.byteLength(message.body)),
    };
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent,
      headers,
      lookup: guardedLookup(this.options.policy, url.protocol === 'http:') as never,
    });
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'durationMs' | 'ok'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(done(result));
      };
      const deadline = setTimeout(() => request.destroy(new Error(`no complete answer within ${this.options.responseTimeoutMs} ms`)), this.options.responseTimeoutMs);
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => request.destroy(new Error(`could not connect within ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      request.on('error', (error) => finish({ status: null, body: null, error: error.message }));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = () => finish({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8').slice(0, LOGGED_BODY_CHARS), error: null });
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= READ_LIMIT_BYTES) {
            answered();
            response.destroy();
          }
        });
        response.on('end', answered);
        response.on('error', (error) => finish({ status: response.statusCode ?? null, body: null, error: error.message }));
      });
      request.end(message.body);
    });
  }

  close() {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}
