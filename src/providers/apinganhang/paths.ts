// Where each operation lives. The document gives a path for some operations
// and only names the others; for those we assume a path following the same
// pattern (providers.md §2). Every path can be overridden per merchant through
// `credentials.paths`, because an assumed path may well be wrong.
import { z } from 'zod';

export interface OperationPath {
  path: string;
  method: 'GET' | 'POST';
  /** False when the document names the operation without a path (our assumption). */
  documented: boolean;
}

export const defaultPaths = {
  ping: { path: '/ping.php', method: 'GET', documented: true },
  login: { path: '/auth/login.php', method: 'POST', documented: true },
  profile: { path: '/auth/profile.php', method: 'GET', documented: true },
  logout: { path: '/auth/logout.php', method: 'POST', documented: false },
  listAccounts: { path: '/accounts/index.php', method: 'GET', documented: true },
  addAccount: { path: '/accounts/add.php', method: 'POST', documented: false },
  connectAccount: { path: '/accounts/connect.php', method: 'POST', documented: true },
  listTransactions: { path: '/transactions/index.php', method: 'GET', documented: true },
  transactionDetail: { path: '/transactions/detail.php', method: 'GET', documented: false },
  exportTransactions: { path: '/transactions/export.php', method: 'GET', documented: false },
  dashboardSummary: { path: '/dashboard/summary.php', method: 'GET', documented: false },
  dashboardCharts: { path: '/dashboard/charts.php', method: 'GET', documented: false },
  extensionInfo: { path: '/services/extension.php', method: 'GET', documented: false },
  renew: { path: '/services/renew.php', method: 'POST', documented: false },
  depositInfo: { path: '/services/deposit.php', method: 'GET', documented: false },
  siteSettings: { path: '/services/site-settings.php', method: 'GET', documented: true },
  packages: { path: '/services/packages.php', method: 'GET', documented: true },
  notifications: { path: '/notifications/index.php', method: 'GET', documented: false },
  hubGetSettings: { path: '/payments/settings.php', method: 'GET', documented: true },
  hubSaveSettings: { path: '/payments/settings.php', method: 'POST', documented: true },
  hubTest: { path: '/payments/test.php', method: 'POST', documented: true },
  hubCreatePayin: { path: '/payments/orders/create.php', method: 'POST', documented: true },
  hubQuery: { path: '/payments/orders/query.php', method: 'POST', documented: true },
  hubCreatePayout: { path: '/payments/orders/payout.php', method: 'POST', documented: false },
} as const satisfies Record<string, OperationPath>;

export type ApiNganHangOperation = keyof typeof defaultPaths;
export const apiNganHangOperations = Object.keys(defaultPaths) as [ApiNganHangOperation, ...ApiNganHangOperation[]];

/** `{ hubCreatePayout: '/payments/payout/create.php' }`: a path relative to the base URL. */
export const pathOverridesSchema = z.record(z.enum(apiNganHangOperations), z.string().regex(/^\//, 'a path starts with /'));
export type PathOverrides = z.infer<typeof pathOverridesSchema>;

export function pathOf(operation: ApiNganHangOperation, overrides: PathOverrides): string {
  return overrides[operation] ?? defaultPaths[operation].path;
}
