// Provider operations the connectors implement that are not about one order:
// the Payment Hub's gateway settings and test, one bank transaction as API
// Ngân hàng has it, its dashboard charts and its own CSV export, the logout,
// and VNKash's history. Each runs with the calling merchant's own provider
// account (never another's), and each failure has a type a caller can act on.
// What each operation checks and shapes lives by use case: hub-settings.ts,
// bank-statement-export.ts, vnkash-history.ts; this class makes the calls.
import type { HubGateway } from '../providers/apinganhang/index.js';
import { ProviderRefusedError } from '../errors/index.js';
import { createVnKashClient, type VnKashCredentials } from '../providers/vnkash/index.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { bankCall, type BankProvider } from './bank-provider.js';
import { HubGatewayTestFailedError } from '../errors/index.js';
import type { ProviderAccounts } from './provider-accounts.js';
import { hubSettingsView, mergeHubSettings, outdatedProviderAccountFields, type HubSettingsChange, type HubSettingsSaved, type HubSettingsView } from './hub-settings.js';
import { exportStatement, type BankExportFilter, type BankStatementExport } from './bank-statement-export.js';
import { readVnKashHistory, type VnKashHistoryPage, type VnKashHistoryQuery } from './vnkash-history.js';

// The API layer reads these types and limits from here.
export type { HubSettingsChange, HubSettingsSaved, HubSettingsView } from './hub-settings.js';
export { BANK_EXPORT_MAX_BYTES, type BankExportFilter, type BankStatementExport } from './bank-statement-export.js';
export { VNKASH_HISTORY_MAX, type VnKashHistoryEntry, type VnKashHistoryPage, type VnKashHistoryQuery } from './vnkash-history.js';

export class ProviderOperations {
  constructor(
    private readonly bank: BankProvider,
    private readonly accounts: ProviderAccounts,
  ) {}

  async hubSettings(merchantId: string, gateway: HubGateway): Promise<HubSettingsView> {
    return this.bank.with(merchantId, async (client) => hubSettingsView((await client.getHubSettings(gateway)).data));
  }

  /** Reads the current settings, saves the change over them (an empty secret keeps the stored one), and reads them back. */
  async saveHubSettings(merchantId: string, change: HubSettingsChange): Promise<HubSettingsSaved> {
    const client = await this.bank.client(merchantId);
    const read = () => bankCall(async () => hubSettingsView((await client.getHubSettings(change.gateway)).data));
    const input = mergeHubSettings(await read(), change);
    await bankCall(() => client.saveHubSettings(input));
    const saved = await read();
    return { settings: saved, providerAccountFieldsToUpdate: outdatedProviderAccountFields(await this.bank.credentials(merchantId), change, saved) };
  }

  /** The Hub tries the merchant's gateway settings; a failing test (its HTTP 400) is HubGatewayTestFailedError. */
  async testHubGateway(merchantId: string, gateway: HubGateway, mode: 'payin' | 'payout' | null) {
    if (mode && gateway !== 'wowpay') throw new ValidationError('mode: WowPay only (the document applies it to WowPay)', 'mode');
    try {
      const answer = await this.bank.with(merchantId, (client) => client.testGateway(gateway, mode ?? undefined));
      return { gateway, mode, message: answer.data.message ?? null };
    } catch (error) {
      if (error instanceof ProviderRefusedError && error.code === '400') throw new HubGatewayTestFailedError(gateway, mode, error.options.providerMessage ?? null);
      throw error;
    }
  }

  /** One statement line as API Ngân hàng has it, by its id; another member's id is not found (the provider scopes it to our login). */
  async transaction(merchantId: string, id: number) {
    if (!Number.isInteger(id) || id <= 0) throw new ValidationError('id: a positive transaction id', 'id');
    try {
      return await this.bank.with(merchantId, async (client) => (await client.getTransaction(id)).data);
    } catch (error) {
      if (error instanceof ProviderRefusedError && error.code === '404') throw new NotFoundError('BankProviderTransaction', String(id));
      throw error;
    }
  }

  dashboardCharts(merchantId: string) {
    return this.bank.with(merchantId, async (client) => (await client.dashboardCharts()).data);
  }

  statementExport(merchantId: string, filter: BankExportFilter): Promise<BankStatementExport> {
    return exportStatement(filter, (query) => this.bank.with(merchantId, (client) => client.exportTransactionsCsv(query)));
  }

  /** Cancels the token at API Ngân hàng; paygraph's next call logs in again with the stored credentials. */
  async logout(merchantId: string) {
    await this.bank.with(merchantId, (client) => client.logout());
    return { loggedOut: true };
  }

  /** A read-only view: rows are shown as VNKash sends them and tied to no order (description.index is not an order id: issue 12). */
  async vnKashHistory(merchantId: string, query: VnKashHistoryQuery): Promise<VnKashHistoryPage> {
    return readVnKashHistory(query, async () => {
      const credentials = (await this.accounts.credentials(merchantId, 'VNKASH')) as VnKashCredentials;
      return createVnKashClient(credentials, { http: this.accounts.context.http, nonces: this.accounts.context.nonces });
    });
  }
}
