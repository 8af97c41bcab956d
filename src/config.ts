// Every setting comes from the environment (and an optional .env), validated
// once at start. A bad value stops the start with a message naming the
// variable and what it expects. The README's configuration table mirrors this.
import path from 'node:path';
import { z } from 'zod';

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
  /** Run the provider simulators in-process and give new sandbox merchants their credentials. */
  SANDBOX: bool.default('true'),
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
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Requests per minute per API key or client token (0: no limit). */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(1200),
  /** Requests per minute per client IP (0: no limit). */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(2400),
  /** Unsigned callbacks (hints) per minute per callback route and source address that may make us ask the provider (0: no limit). */
  CALLBACK_HINTS_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Largest GraphQL request body accepted. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  /** Origins allowed to call the API from a browser, comma-separated ("*" for any). Unset: any outside production, none in production. */
  CORS_ORIGINS: z.string().optional(),
  /** Allow schema introspection in production. */
  GRAPHQL_INTROSPECTION: bool.optional(),
});

export type Config = z.infer<typeof configSchema> & {
  /** Absolute data directory. */
  dataDir: string;
};

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
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

function redactIfSecret(name: string, value: string) {
  return /KEY|SECRET|PASSWORD|URL/.test(name) ? '…' : value;
}
