// A merchant's provider accounts: settings in clear, secrets sealed, and the
// connector built from them. Sandbox merchants without an account of their
// own get the in-process simulator's credentials.
//
// Every callback, payment and poll needs its merchant's account: while the
// database's account changes are heard (`followChanges`), the rows read are
// kept per instance, so a callback does not read the same account three times.
// Any committed change to an account or a merchant — this service's `set`,
// another instance, the CLI, a hand edit — is announced by a trigger on
// "paygraph_accounts" (migration provider_account_notify) and forgets it.
import type { PrismaClient, Prisma, ProviderAccount } from '../generated/prisma/client.js';
import type { OrderConnector, ProviderId } from '../providers/types.js';
import { providerModule, type ConnectorContext, type ProviderCredentials } from '../providers/registry.js';
import type { SealedBox } from './sealed-box.js';
import { checkOutboundUrl } from '../http/outbound-url.js';
import type { ProviderHosts } from '../config.js';
import { ProviderNotConfiguredError, ProviderNotSupportedError, ValidationError } from '../errors/index.js';

export interface SandboxAccess {
  /** http://127.0.0.1:<port> of the running sandbox. */
  url: string;
  /** Credentials the simulators accept, per provider. */
  credentials: Record<ProviderId, Record<string, unknown>>;
}

const aad = (merchantId: string, provider: ProviderId) => `provider-account:${merchantId}:${provider}`;

/** Secrets shorter than this show no characters at all: four of a six-character password is most of it. */
export const SECRET_HINT_MIN_LENGTH = 12;
export const secretHint = (value: string) => (value.length < SECRET_HINT_MIN_LENGTH ? '…' : `…${value.slice(-4)}`);

/** Where the database announces a changed provider account or merchant (payload: the merchant's id). */
export const ACCOUNT_CHANGE_CHANNEL = 'paygraph_accounts';

/** An account as stored, with what decides the sandbox's part. `account` null: the merchant has none for this provider. */
interface StoredAccount {
  account: ProviderAccount | null;
  /** Null: no such merchant. */
  sandboxMerchant: boolean | null;
}

export interface AccountCacheOptions {
  /** How long a row read is kept at most, even while changes are heard. */
  ttlMs?: number;
  maxEntries?: number;
}

export class ProviderAccounts {
  private readonly stored = new Map<string, { value: StoredAccount; until: number }>();
  /** Counts changes heard: a read that started before one must not keep what it read. */
  private changes = 0;
  private following = false;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SealedBox,
    readonly context: ConnectorContext,
    private readonly sandbox: () => SandboxAccess | undefined,
    /** The operator's PROVIDER_HOSTS: replaces a provider's documented hosts. */
    private readonly hosts: ProviderHosts = {},
    cache: AccountCacheOptions = {},
  ) {
    this.ttlMs = cache.ttlMs ?? 60_000;
    this.maxEntries = cache.maxEntries ?? 10_000;
  }

  /**
   * Listens for committed account changes and, while listening, keeps the rows
   * read. A reopened connection (no payload: changes may have been missed)
   * forgets everything. Returns the function that stops it.
   */
  async followChanges(listen: (channel: string, listener: (payload?: string) => void) => Promise<() => Promise<void>>): Promise<() => Promise<void>> {
    const unlisten = await listen(ACCOUNT_CHANGE_CHANNEL, (merchantId) => this.forget(merchantId || undefined));
    this.following = true;
    return async () => {
      this.following = false;
      this.forget();
      await unlisten();
    };
  }

  /** Forgets a merchant's accounts (all accounts without one). */
  forget(merchantId?: string) {
    this.changes++;
    if (!merchantId) return this.stored.clear();
    for (const key of this.stored.keys()) if (key.startsWith(`${merchantId}:`)) this.stored.delete(key);
  }

  private async read(merchantId: string, provider: ProviderId): Promise<StoredAccount> {
    const key = `${merchantId}:${provider}`;
    const now = Date.now();
    const kept = this.stored.get(key);
    if (kept && kept.until > now) return kept.value;
    const changesBefore = this.changes;
    const [account, merchant] = await Promise.all([
      this.prisma.providerAccount.findUnique({ where: { merchantId_provider: { merchantId, provider } } }),
      this.prisma.merchant.findUnique({ where: { id: merchantId }, select: { sandbox: true } }),
    ]);
    const value = { account, sandboxMerchant: merchant?.sandbox ?? null };
    if (this.following && changesBefore === this.changes) {
      this.stored.delete(key);
      if (this.stored.size >= this.maxEntries) this.stored.delete(this.stored.keys().next().value!);
      this.stored.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  /**
   * Why this base URL may not be called for this merchant, or null. Sandbox
   * merchants may also use loopback (the simulators) while this instance runs
   * the sandbox.
   */
  private refusedBaseUrl(provider: ProviderId, baseUrl: unknown, sandboxMerchant: boolean): string | null {
    if (typeof baseUrl !== 'string') return null;
    const allowedHosts = this.hosts[provider] ?? providerModule(provider).documentedHosts;
    const verdict = checkOutboundUrl(baseUrl, { allowedHosts, allowLoopback: sandboxMerchant && this.sandbox() !== undefined });
    if (verdict.ok) return null;
    return `${verdict.reason}${verdict.reason.includes('allow-list') ? ` (PROVIDER_HOSTS; ${provider} allows ${allowedHosts.join(', ') || 'no host until the operator names one'})` : ''}`;
  }

  /** Saves settings and secrets; an empty or missing secret keeps the stored one. */
  async set(merchantId: string, provider: ProviderId, values: Record<string, unknown>, enabled = true) {
    const module = providerModule(provider);
    const existing = await this.prisma.providerAccount.findUnique({ where: { merchantId_provider: { merchantId, provider } } });
    const oldSecrets: Record<string, unknown> = existing?.sealedSecrets ? this.box.open(existing.sealedSecrets, aad(merchantId, provider)) : {};
    const settings: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = { ...oldSecrets };
    for (const [key, value] of Object.entries(values)) {
      if (module.secretFields.includes(key)) {
        if (value !== '' && value != null) secrets[key] = value;
      } else settings[key] = value;
    }
    const parsed = module.credentials.safeParse({ ...settings, ...secrets });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ValidationError(`${issue.path.join('.')}: ${issue.message}`, issue.path.join('.'));
    }
    const merchant = await this.prisma.merchant.findUniqueOrThrow({ where: { id: merchantId }, select: { sandbox: true } });
    const refused = this.refusedBaseUrl(provider, (parsed.data as { baseUrl?: unknown }).baseUrl, merchant.sandbox);
    if (refused) throw new ValidationError(`baseUrl: ${refused}`, 'baseUrl');
    const hints = Object.fromEntries(Object.entries(secrets).map(([key, value]) => [key, secretHint(String(value))]));
    const data = {
      enabled,
      settings: settings as Prisma.InputJsonValue,
      sealedSecrets: this.box.seal(secrets, aad(merchantId, provider)),
      secretHints: hints,
    };
    const saved = await this.prisma.providerAccount.upsert({
      where: { merchantId_provider: { merchantId, provider } },
      create: { merchantId, provider, ...data },
      update: data,
    });
    // At once here; other instances when the trigger's NOTIFY reaches them.
    this.forget(merchantId);
    return saved;
  }

  /** What a merchant may see of its accounts: settings, and for secrets only whether set and (long ones) the last four characters. */
  async describe(merchantId: string) {
    const accounts = await this.prisma.providerAccount.findMany({ where: { merchantId }, orderBy: { provider: 'asc' } });
    return accounts.map((account) => {
      const module = providerModule(account.provider);
      const hints = this.currentHints(account);
      return {
        provider: account.provider,
        enabled: account.enabled,
        settings: account.settings as Record<string, unknown>,
        secrets: module.secretFields.map((name) => ({ name, isSet: name in hints, hint: hints[name] ?? null })),
        updatedAt: account.updatedAt,
      };
    });
  }

  /** Hints by today's rule, also for rows saved under an older one; the stored hints when the secrets cannot be opened. */
  private currentHints(account: { merchantId: string; provider: string; sealedSecrets: string | null; secretHints: unknown }): Record<string, string> {
    const stored = account.secretHints as Record<string, string>;
    if (!account.sealedSecrets) return stored;
    try {
      const secrets = this.box.open<Record<string, unknown>>(account.sealedSecrets, aad(account.merchantId, account.provider as ProviderId));
      return Object.fromEntries(Object.keys(stored).map((key) => [key, key in secrets ? secretHint(String(secrets[key])) : '…']));
    } catch {
      return Object.fromEntries(Object.keys(stored).map((key) => [key, '…']));
    }
  }

  /** Re-seals every account with the current key (after a rotation); returns how many rows changed. */
  async reseal(): Promise<number> {
    let changed = 0;
    const accounts = await this.prisma.providerAccount.findMany({ where: { sealedSecrets: { not: null } } });
    for (const account of accounts) {
      const associated = aad(account.merchantId, account.provider);
      if (this.box.isCurrent(account.sealedSecrets!)) continue;
      const secrets = this.box.open(account.sealedSecrets!, associated);
      // Guarded by the old value: a concurrent `set` wins, and is already sealed with the current key.
      const result = await this.prisma.providerAccount.updateMany({
        where: { id: account.id, sealedSecrets: account.sealedSecrets },
        data: { sealedSecrets: this.box.seal(secrets, associated) },
      });
      changed += result.count;
    }
    return changed;
  }

  /**
   * The addresses this merchant's provider calls back from, when it configured
   * them (`callbackSourceIps`, comma-separated, in the account's settings);
   * null: any address (the signature, or the confirming status query, decides).
   */
  async callbackAllowList(merchantId: string, provider: ProviderId): Promise<string[] | null> {
    const { account } = await this.read(merchantId, provider);
    const configured = (account?.settings as { callbackSourceIps?: unknown } | undefined)?.callbackSourceIps;
    const list = typeof configured === 'string' ? configured.split(',') : Array.isArray(configured) ? configured.map(String) : [];
    const ips = list.map((ip) => ip.trim()).filter(Boolean);
    return ips.length ? ips : null;
  }

  /** The connector's credentials for this merchant (secrets opened). */
  async credentials<P extends ProviderId>(merchantId: string, provider: P): Promise<ProviderCredentials[P]> {
    const module = providerModule(provider);
    const { account, sandboxMerchant } = await this.read(merchantId, provider);
    if (sandboxMerchant === null) throw new ProviderNotConfiguredError(provider, `no merchant ${merchantId}`);
    const sandbox = sandboxMerchant ? this.sandbox() : undefined;
    let values: Record<string, unknown>;
    if (account) {
      if (!account.enabled) throw new ProviderNotConfiguredError(provider);
      const secrets = account.sealedSecrets ? this.box.open<Record<string, unknown>>(account.sealedSecrets, aad(merchantId, provider)) : {};
      values = { ...(account.settings as Record<string, unknown>), ...secrets };
    } else if (sandbox) {
      values = { ...sandbox.credentials[provider] };
    } else {
      throw new ProviderNotConfiguredError(provider);
    }
    // A sandbox merchant's account without a base URL talks to the in-process simulator.
    if (sandbox && !values.baseUrl) values.baseUrl = sandbox.url + module.sandboxBasePath;
    const credentials = module.credentials.parse(values);
    // Checked at every use too: the operator's allow-list may have changed since the account was saved.
    const refused = this.refusedBaseUrl(provider, (credentials as { baseUrl?: unknown }).baseUrl, sandboxMerchant);
    if (refused) throw new ProviderNotConfiguredError(provider, `the ${provider} account's baseUrl is refused: ${refused}; set the account again`);
    return credentials;
  }

  async orderConnector(merchantId: string, provider: ProviderId): Promise<OrderConnector> {
    const module = providerModule(provider);
    if (!module.orderConnector) throw new ProviderNotSupportedError(provider, `${provider} does not move orders`);
    return module.orderConnector(await this.credentials(merchantId, provider), this.context);
  }
}
