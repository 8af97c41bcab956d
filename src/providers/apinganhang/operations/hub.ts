// Payment Hub: the member's gateway settings (secrets masked), a connection
// test, pay-in create and query, payout create. Create/payout move money and
// are sent once; a timeout means "ask query.php", never "send again".
import { z } from 'zod';
import { dongToNumber } from '../../../domain/money.js';
import type { Answer, ApiNganHangHttp } from '../client.js';
import {
  hubCreateAnswerSchema,
  hubGateways,
  hubPayoutAnswerSchema,
  hubQueryAnswerSchema,
  hubSettingsAnswerSchema,
  hubTestAnswerSchema,
  wowPayChannels,
  type HubCreateAnswer,
  type HubGateway,
  type HubQueryAnswer,
} from '../hub-schemas.js';

export interface HubSettings {
  gateway: HubGateway;
  enabled: boolean;
  hasPayinSecretKey: boolean;
  hasPayoutSecretKey?: boolean;
  /** Public settings; any secret the Hub sends back is masked again here. */
  settings: Record<string, unknown>;
}

/** An empty or absent secret keeps the stored one (the Hub's rule). */
export const sharkPaySettingsInputSchema = z.object({
  gateway: z.literal('sharkpay'),
  enabled: z.boolean(),
  settings: z.object({
    mch_id: z.string(),
    payin_secret_key: z.string().default(''),
    payout_secret_key: z.string().default(''),
    notify_url: z.string().default(''),
    whitelist_ips: z.string().default(''),
  }),
});
export const wowPaySettingsInputSchema = z.object({
  gateway: z.literal('wowpay'),
  enabled: z.boolean(),
  settings: z.object({
    merchant_no: z.string(),
    payin_secret_key: z.string().default(''),
    payout_secret_key: z.string().default(''),
    notify_url: z.string().default(''),
    whitelist_ips: z.string().default(''),
    callback_source_ips: z.string().default(''),
  }),
});
export const hubSettingsInputSchema = z.discriminatedUnion('gateway', [sharkPaySettingsInputSchema, wowPaySettingsInputSchema]);
export type HubSettingsInput = z.input<typeof hubSettingsInputSchema>;

export const payinInputSchema = z.object({
  gateway: z.enum(hubGateways),
  merchantOrderNo: z.string().min(1),
  amount: z.bigint().positive(),
  /** SharkPay: order title (the Hub defaults to "Pay " + merchant_order_no). */
  subject: z.string().optional(),
  /** SharkPay: order description (defaults to the subject). */
  body: z.string().optional(),
  /** WowPay only. */
  channel: z.enum(wowPayChannels).optional(),
  deviceIp: z.string().optional(),
  notifyUrl: z.string().url().optional(),
});
export type PayinInput = z.input<typeof payinInputSchema>;

/** Field names are assumed: the document names the operation only. */
export const payoutInputSchema = z.object({
  gateway: z.enum(hubGateways),
  merchantOrderNo: z.string().min(1),
  amount: z.bigint().positive(),
  bankCode: z.string().min(1),
  accountNumber: z.string().min(1),
  accountName: z.string().min(1),
  remark: z.string().optional(),
  deviceIp: z.string().optional(),
  notifyUrl: z.string().url().optional(),
});
export type PayoutInput = z.input<typeof payoutInputSchema>;

export type HubOrderLookup = { gateway: HubGateway; orderNo?: string; merchantOrderNo?: string };

export function hubOperations(http: ApiNganHangHttp) {
  const mask = (settings: Record<string, unknown>) => http.redactor.value(settings) as Record<string, unknown>;
  return {
    /** GET /payments/settings.php?gateway=… (the `gateway` parameter is our assumption: a member can configure both). */
    async getHubSettings(gateway: HubGateway): Promise<Answer<HubSettings>> {
      const answer = await http.json('hubGetSettings', { query: { gateway }, idempotency: 'safe' }, hubSettingsAnswerSchema);
      const data = answer.data.data;
      return {
        data: {
          gateway: data.gateway,
          enabled: data.enabled,
          hasPayinSecretKey: data.has_payin_secret_key,
          ...(data.has_payout_secret_key === undefined ? {} : { hasPayoutSecretKey: data.has_payout_secret_key }),
          settings: mask(data.settings),
        },
        raw: answer.raw,
      };
    },
    /** Saving the same settings twice is harmless, so it is retried like a read. */
    async saveHubSettings(input: HubSettingsInput): Promise<Answer<{ message?: string }>> {
      const valid = hubSettingsInputSchema.parse(input);
      const answer = await http.json('hubSaveSettings', { body: valid, idempotency: 'safe' }, hubTestAnswerSchema);
      return { data: { message: answer.data.message }, raw: answer.raw };
    },
    /** Checks the member's gateway credentials; `mode` applies to WowPay. A failing test is a refusal (HTTP 400). */
    async testGateway(gateway: HubGateway, mode?: 'payin' | 'payout'): Promise<Answer<{ ok: true; message?: string }>> {
      const answer = await http.json('hubTest', { body: { gateway, ...(mode ? { mode } : {}) }, idempotency: 'safe' }, hubTestAnswerSchema);
      return { data: { ok: true, message: answer.data.message }, raw: answer.raw };
    },
    async createPayin(input: PayinInput): Promise<Answer<HubCreateAnswer>> {
      const valid = payinInputSchema.parse(input);
      const body: Record<string, unknown> = {
        gateway: valid.gateway,
        merchant_order_no: valid.merchantOrderNo,
        amount: dongToNumber(valid.amount),
        subject: valid.subject,
        body: valid.body,
        // The channel is WowPay's; SharkPay has none.
        channel: valid.gateway === 'wowpay' ? valid.channel : undefined,
        device_ip: valid.deviceIp,
        notify_url: valid.notifyUrl,
      };
      const answer = await http.json('hubCreatePayin', { body, idempotency: 'money' }, hubCreateAnswerSchema);
      return { data: answer.data.data, raw: answer.raw };
    },
    /** POST /payments/orders/query.php by order_no or merchant_order_no (both sent when known). Also answers for payouts (assumed). */
    async queryOrder(lookup: HubOrderLookup): Promise<Answer<HubQueryAnswer>> {
      if (!lookup.orderNo && !lookup.merchantOrderNo) throw new TypeError('queryOrder needs orderNo or merchantOrderNo');
      const body = { gateway: lookup.gateway, order_no: lookup.orderNo, merchant_order_no: lookup.merchantOrderNo };
      const answer = await http.json('hubQuery', { body, idempotency: 'safe' }, hubQueryAnswerSchema);
      return { data: answer.data.data, raw: answer.raw };
    },
    async createPayout(input: PayoutInput) {
      const valid = payoutInputSchema.parse(input);
      const body = {
        gateway: valid.gateway,
        merchant_order_no: valid.merchantOrderNo,
        amount: dongToNumber(valid.amount),
        bank_code: valid.bankCode,
        account_no: valid.accountNumber,
        account_name: valid.accountName,
        remark: valid.remark,
        device_ip: valid.deviceIp,
        notify_url: valid.notifyUrl,
      };
      const answer = await http.json('hubCreatePayout', { body, idempotency: 'money' }, hubPayoutAnswerSchema);
      return { data: answer.data.data, raw: answer.raw };
    },
  };
}
