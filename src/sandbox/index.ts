// Every simulator, as the in-process sandbox and `npm run sandbox` run them,
// and the credentials they accept (handed to sandbox merchants that have no
// provider account of their own).
import type { Simulator } from './kit.js';
import type { ProviderId } from '../providers/types.js';
import { createAzConnectPaySimulator } from './azconnectpay/index.js';
import { createApiNganHangSimulator } from './apinganhang/index.js';
import { createVnKashSimulator, vnKashSandboxKey } from './vnkash/index.js';
import { createCardSimulator } from './card/index.js';

export interface SimulatorOptions {
  /** Our public URL, for callbacks a provider sends to a URL configured on its side (card, bank webhook). */
  callbackBaseUrl: () => string | undefined;
}

const hub = {
  sharkpay: { mch_id: 'SP-SANDBOX', payin_secret_key: 'sandbox-sharkpay-payin-key', payout_secret_key: 'sandbox-sharkpay-payout-key' },
  wowpay: { merchant_no: 'WP-SANDBOX', payin_secret_key: 'sandbox-wowpay-payin-key', payout_secret_key: 'sandbox-wowpay-payout-key' },
};

export const sandboxCredentials: Record<ProviderId, Record<string, unknown>> = {
  AZCONNECTPAY: { apiKey: 'sandbox-azconnectpay-apikey', privateKey: 'sandbox-azconnectpay-private-key' },
  APINGANHANG: {
    username: 'demo',
    password: '123456',
    webhookSecret: 'sandbox-webhook-secret',
    sharkpayMchId: hub.sharkpay.mch_id,
    sharkpayPayinSecretKey: hub.sharkpay.payin_secret_key,
    sharkpayPayoutSecretKey: hub.sharkpay.payout_secret_key,
    wowpayMerchantNo: hub.wowpay.merchant_no,
    wowpayPayinSecretKey: hub.wowpay.payin_secret_key,
    wowpayPayoutSecretKey: hub.wowpay.payout_secret_key,
  },
  VNKASH: { publicKey: vnKashSandboxKey.publicKey, secretKey: vnKashSandboxKey.secretKey },
  CARD: { partnerId: '8740404061', partnerKey: 'sandbox-partner-key' },
};

export function createSimulators(options: SimulatorOptions): Simulator[] {
  const callback = (route: string) => () => {
    const base = options.callbackBaseUrl();
    return base ? `${base}/callbacks/${route}` : undefined;
  };
  return [
    createAzConnectPaySimulator(),
    createApiNganHangSimulator({
      hubSettings: hub,
      // transaction.confirmed goes to our /callbacks/apinganhang, signed with the secret sandbox merchants get.
      // A getter: the app's URL is known only once it listens (the simulator keeps this object and reads url when sending).
      webhook: {
        get url() {
          return callback('apinganhang')() ?? '';
        },
        secret: String(sandboxCredentials.APINGANHANG.webhookSecret),
      },
    }),
    createVnKashSimulator(),
    createCardSimulator({ callbackUrl: callback('card') }),
  ];
}
