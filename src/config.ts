// Every setting comes from the environment (and an optional .env), validated
// once at start. A bad value stops the start with a message naming the
// variable and what it expects. The README's configuration table mirrors this.
import path from 'node:path';
import { z } from 'zod';
import { providerIds, type ProviderId } from './providers/types.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value));

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  /** Where callbacks reach us from providers: http(s)://host[:port], no trailing slash. */
  PUBLIC_URL: z.string().url().optional(),
  /** PGlite's data directory (and the generated secrets key), unless DATABASE_URL is set. */
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgresql://user@host:port/database URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis://host:port URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Run the provider simulators in-process and give new sandbox merchants their credentials. Unset: on, except in production. */
  SANDBOX: bool.optional(),
  /** Port of the in-process sandbox (0: any free port). */
  SANDBOX_PORT: port.default(0),
  /** Create a sandbox merchant (and print its key once) when the database has no merchant. */
  BOOTSTRAP_SANDBOX_MERCHANT: bool.default('true'),
  /**
   * Key sealing provider secrets: "<key id>:<base64 of 32 bytes>". Without it a
   * key is generated once into DATA_DIR/secrets.key (owner-only permissions).
   */
  SECRETS_KEY: z
    .string()
    .regex(/^[\w-]{1,32}:[A-Za-z0-9+/]{43}=$/, 'expected "<key id>:<base64 of 32 random bytes>"')
    .optional(),
  /** Keys retired by a rotation, comma-separated "<id>:<base64>": they only open what they sealed (see `paygraph secrets rotate`). */
  SECRETS_KEY_PREVIOUS: z
    .string()
    .regex(/^[\w-]{1,32}:[A-Za-z0-9+/]{43}=(,[\w-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, 'expected "<key id>:<base64>" entries separated by commas')
    .optional(),
  /** Background work (polling, expiry, retries). Turned off in some tests. */
  WORKERS: bool.default('true'),
  POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(15_000),
  /**
   * Time between two imports of one merchant's bank statement (API Ngân hàng).
   * The provider asks for 10–30 s at most (its bank side refreshes about once a
   * minute); lower values are for tests against the sandbox.
   */
  STATEMENT_IMPORT_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000),
  /** How long an idempotency key is remembered. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  /** Default lifetime of a collecting order before it expires (minutes). */
  ORDER_TTL_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 7).default(30),
  /** By when a payout (money going out) must have a final word; past it, it goes to a person unless the provider positively says (decision-policy.ts). */
  PAYOUT_DEADLINE_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(24 * 60),
  /** By when a card charge must have a final word; past it, a person decides unless the provider positively says. */
  CARD_CHARGE_DEADLINE_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(60),
  /** Default lifetime of a client token (what a checkout page holds instead of an API key), in minutes. */
  CLIENT_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Consecutive failed calls (timeout, 5xx, unreadable answer; not refusals) that open a provider account's circuit (createPayment/createPayout skip it). */
  CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long an open circuit stays open before one trial call is let through. */
  CIRCUIT_HALF_OPEN_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Requests per minute per API key or client token (0: no limit). */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(1200),
  /** Requests per minute per client IP (0: no limit). */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(2400),
  /** Unsigned callbacks (hints) per minute per callback route and source address that may make us ask the provider (0: no limit). */
  CALLBACK_HINTS_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /**
   * How long a cached answer to order / orders / cardCharge / cardCharges may be served (0: no response cache).
   * A change is never hidden by it: every change moves the merchant's cache epoch (src/http/response-cache.ts).
   */
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Answers kept by the in-process response cache (without REDIS_URL; with it, Redis keeps them). */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Largest GraphQL request body accepted. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  /** Origins allowed to call the API from a browser, comma-separated ("*" for any). Unset: any outside production, none in production. */
  CORS_ORIGINS: z.string().optional(),
  /** Allow schema introspection in production. */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /**
   * Hosts a merchant's provider base URL may name, per provider, replacing that
   * provider's documented hosts: "CARD=thecao.example.vn,*.doithe.example;VNKASH=api.vnkash.com".
   */
  PROVIDER_HOSTS: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseProviderHosts(value);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /** Largest graphql-ws message; a bigger one closes that connection (1009) before it is read. */
  WS_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
  /** Open WebSocket connections per client IP (0: no limit). */
  WS_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).default(100),
  /** Bearer token a scraper sends to GET /metrics. Unset: /metrics is open outside production and off in production. */
  METRICS_TOKEN: z.string().min(16, 'use at least 16 random characters').optional(),
  /** Production checks to waive, comma-separated (see unsafeProductionSettings): e.g. "SANDBOX" on a staging server. */
  ALLOW_UNSAFE: z
    .string()
    .transform((value) => value.split(',').map((name) => name.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(z.enum(['SANDBOX', 'SECRETS_KEY', 'CORS_ORIGINS', 'RATE_LIMIT', 'PUBLIC_URL', 'DATA_DIR'])))
    .optional(),
  /** Webhooks: the wait after a delivery's first failed attempt; it doubles after each failure (with jitter). */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5_000),
  /** Webhooks: the longest wait between two attempts. */
  WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(6 * 3_600_000),
  /** Webhooks: how long a delivery is retried before it is given up (at least three days in production). */
  WEBHOOK_RETRY_FOR_HOURS: z.coerce.number().min(0).default(72),
  /** Webhooks: an endpoint whose every attempt has failed for this long is disabled (with the reason). */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(0).default(120),
  /** Webhooks: time to connect to an endpoint, and to get its whole answer. */
  WEBHOOK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  WEBHOOK_RESPONSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Webhooks to loopback addresses (and http:// to them): for development and the sandbox. Unset: on unless NODE_ENV=production. */
  WEBHOOK_ALLOW_LOOPBACK: bool.optional(),
});

export type Config = Omit<z.infer<typeof configSchema>, 'SANDBOX'> & {
  SANDBOX: boolean;
  /** Absolute data directory. */
  dataDir: string;
};

export type ProviderHosts = Partial<Record<ProviderId, string[]>>;

const hostPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** "CARD=a.example,*.b.example;VNKASH=api.vnkash.com" → { CARD: [...], VNKASH: [...] }. */
export function parseProviderHosts(value: string): ProviderHosts {
  const hosts: ProviderHosts = {};
  for (const entry of value.split(/[;\s]+/).filter(Boolean)) {
    const [name, list = ''] = entry.split('=', 2) as [string, string?];
    const provider = name.trim().toUpperCase() as ProviderId;
    if (!providerIds.includes(provider)) throw new Error(`unknown provider "${name}" (expected ${providerIds.join(', ')})`);
    const patterns = list.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
    for (const pattern of patterns) if (!hostPattern.test(pattern)) throw new Error(`"${pattern}" is not a host name or *.domain pattern`);
    hosts[provider] = [...(hosts[provider] ?? []), ...patterns];
  }
  return hosts;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const got = cleaned[name];
      return `  ${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(redactIfSecret(name, got))})`}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const production = parsed.data.NODE_ENV === 'production';
  return { ...parsed.data, SANDBOX: parsed.data.SANDBOX ?? !production, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

/**
 * Settings that are wrong for production, each with the name ALLOW_UNSAFE
 * takes to accept it anyway. The README's production checklist mirrors these.
 */
export function unsafeProductionSettings(config: Config): { name: NonNullable<Config['ALLOW_UNSAFE']>[number]; problem: string }[] {
  if (config.NODE_ENV !== 'production') return [];
  const found: ReturnType<typeof unsafeProductionSettings> = [];
  if (config.SANDBOX) found.push({ name: 'SANDBOX', problem: 'SANDBOX=true runs the provider simulators, the /checkout/demo page and lets sandbox merchants call loopback addresses' });
  if (!config.SECRETS_KEY) found.push({ name: 'SECRETS_KEY', problem: 'SECRETS_KEY is not set: provider secrets would be sealed with a key generated into DATA_DIR, beside the data it protects' });
  if (config.CORS_ORIGINS?.trim() === '*') found.push({ name: 'CORS_ORIGINS', problem: 'CORS_ORIGINS=* lets any web page call the API from a browser' });
  if (config.RATE_LIMIT_PER_KEY === 0 || config.RATE_LIMIT_PER_IP === 0) found.push({ name: 'RATE_LIMIT', problem: 'RATE_LIMIT_PER_KEY or RATE_LIMIT_PER_IP is 0: rate limiting is off' });
  if (!config.PUBLIC_URL?.startsWith('https://')) found.push({ name: 'PUBLIC_URL', problem: 'PUBLIC_URL is not an https URL: provider callbacks and checkout links (which carry client tokens) would use plain HTTP or this machine\'s listening address' });
  if (!config.DATABASE_URL && config.DATA_DIR === ':memory:') found.push({ name: 'DATA_DIR', problem: 'DATA_DIR=:memory: loses every order when the process stops' });
  return found;
}

/** Stops a production start that has an unsafe setting not waived by ALLOW_UNSAFE, naming each. */
export function assertSafeForProduction(config: Config) {
  const waived = new Set(config.ALLOW_UNSAFE ?? []);
  const problems = unsafeProductionSettings(config).filter((setting) => !waived.has(setting.name));
  if (problems.length === 0) return;
  throw new ConfigError(
    `refusing to start in production (NODE_ENV=production):\n${problems.map((p) => `  ${p.name}: ${p.problem}`).join('\n')}\nFix each, or accept it knowingly with ALLOW_UNSAFE=${problems.map((p) => p.name).join(',')}.`,
  );
}

function redactIfSecret(name: string, value: string) {
  return /KEY|SECRET|PASSWORD|URL/.test(name) ? '…' : value;
}
