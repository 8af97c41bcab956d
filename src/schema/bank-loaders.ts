// Per-request DataLoaders for API Ngân hàng reads: however many fields (or
// aliases) of one GraphQL request ask for a merchant's profile, package,
// accounts…, the provider is called once for each. The cache lives on the
// request's context and dies with it (a later request asks afresh).
import DataLoader from 'dataloader';
import type { Context } from './builder.js';
import type { BankServices } from '../services/bank.js';

type Load<T> = (merchantId: string) => Promise<T>;

/** One value per merchant, errors cached as well (a failed read is not retried within the request). */
function perMerchant<T>(load: Load<T>) {
  return new DataLoader<string, T>((merchantIds) => Promise.all(merchantIds.map((id) => load(id).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))));
}

function createBankLoaders(bank: BankServices) {
  return {
    profile: perMerchant((id) => bank.provider.profile(id)),
    extension: perMerchant((id) => bank.provider.extensionInfo(id)),
    deposit: perMerchant((id) => bank.provider.depositInfo(id)),
    notifications: perMerchant((id) => bank.provider.notifications(id)),
    siteSettings: perMerchant((id) => bank.provider.siteSettings(id)),
    packages: perMerchant((id) => bank.provider.bankPackages(id)),
    dashboard: perMerchant((id) => bank.provider.dashboardSummary(id)),
    /** Synced account ids, keyed "merchantId|BANK" ("merchantId|" for every bank). */
    accounts: new DataLoader<string, string[]>((keys) =>
      Promise.all(
        keys.map(async (key) => {
          const [merchantId = '', bankCode = ''] = key.split('|');
          try {
            return (await bank.accounts.sync(merchantId, bankCode || undefined)).map((row) => row.id);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    ),
  };
}

export type BankLoaders = ReturnType<typeof createBankLoaders>;

/** The request's bank loaders, created on first use. */
export function bankLoaders(ctx: Context): BankLoaders {
  ctx.loaders ??= new Map();
  let loaders = ctx.loaders.get('bank') as BankLoaders | undefined;
  if (!loaders) {
    loaders = createBankLoaders(ctx.services.bank);
    ctx.loaders.set('bank', loaders);
  }
  return loaders;
}
