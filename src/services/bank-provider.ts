// A merchant's API Ngân hàng client, and the account reads that are not about
// the statement (profile, package, deposit, notifications, site settings,
// bank packages, dashboard). The one place the bank services turn the
// provider's 403 into BankPackageExpiredError, so every caller surfaces the
// same actionable error.
import { createApiNganHangClient, isPackageExpired, type ApiNganHangClient, type ApiNganHangCredentials } from '../providers/apinganhang/index.js';
import type { ProviderHttpOptions } from '../providers/http.js';
import type { ProviderAccounts } from './provider-accounts.js';
import { BankPackageExpiredError, BankProviderNotConfiguredError, ProviderNotConfiguredError } from '../errors/index.js';

/** Runs a provider call, giving the two expected account-level failures their own types. */
export async function bankCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isPackageExpired(error)) throw new BankPackageExpiredError(error.message, error.options.providerMessage, { cause: error });
    if (error instanceof ProviderNotConfiguredError) throw new BankProviderNotConfiguredError();
    throw error;
  }
}

export class BankProvider {
  constructor(
    private readonly accounts: ProviderAccounts,
    private readonly http: ProviderHttpOptions,
  ) {}

  async credentials(merchantId: string): Promise<ApiNganHangCredentials> {
    return bankCall(() => this.accounts.credentials(merchantId, 'APINGANHANG'));
  }

  /** A fresh client object; the Bearer token itself is cached process-wide by the connector. */
  async client(merchantId: string): Promise<ApiNganHangClient> {
    return createApiNganHangClient(await this.credentials(merchantId), { http: this.http });
  }

  /** `client(merchantId)` then `call(client)`, with the errors typed. */
  async with<T>(merchantId: string, call: (client: ApiNganHangClient) => Promise<T>): Promise<T> {
    const client = await this.client(merchantId);
    return bankCall(() => call(client));
  }

  profile(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.profile()).data);
  }
  extensionInfo(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.extensionInfo()).data);
  }
  depositInfo(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.depositInfo()).data);
  }
  notifications(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.notifications()).data);
  }
  siteSettings(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.siteSettings()).data);
  }
  bankPackages(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.bankPackages()).data);
  }
  dashboardSummary(merchantId: string) {
    return this.with(merchantId, async (c) => (await c.dashboardSummary()).data);
  }
  /** Pays 1–12 months of the API package from the API Ngân hàng balance (sent once: it moves money). */
  renewPackage(merchantId: string, months: number) {
    return this.with(merchantId, async (c) => (await c.renew(months)).data);
  }
}
