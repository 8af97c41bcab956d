// Reads a merchant needs from its providers that are not about one order:
// AZConnectPay's bank list, VNKash's wallet balance and name/account lookups.
import { createAzConnectPayConnector, type AzConnectPayBankList } from '../providers/azconnectpay/index.js';
import { createVnKashClient, type VnKashBankPayment } from '../providers/vnkash/index.js';
import type { ProviderAccounts } from './provider-accounts.js';

export class ProviderReads {
  constructor(private readonly accounts: ProviderAccounts) {}

  async azConnectPayBanks(merchantId: string): Promise<AzConnectPayBankList> {
    const credentials = await this.accounts.credentials(merchantId, 'AZCONNECTPAY');
    return createAzConnectPayConnector(credentials, { http: this.accounts.context.http }).listBanks();
  }

  private async vnKash(merchantId: string) {
    const credentials = await this.accounts.credentials(merchantId, 'VNKASH');
    return createVnKashClient(credentials, { http: this.accounts.context.http, nonces: this.accounts.context.nonces });
  }

  async vnKashBalance(merchantId: string) {
    return (await this.vnKash(merchantId)).balance();
  }

  async vnKashLookupName(merchantId: string, account: string) {
    return (await this.vnKash(merchantId)).lookupName(account);
  }

  async vnKashLookupBankAccount(merchantId: string, payment: VnKashBankPayment, account: string) {
    return (await this.vnKash(merchantId)).lookupBankAccount(payment, account);
  }
}
