// Payment Hub answers. Only the settings answer is documented; the create,
// query, payout and test answers are our assumption (the document shows the
// requests only) and the sandbox answers in exactly this shape.
import { z } from 'zod';
import { optionalText, wireDong, wireFlag, wireInstant } from './wire.js';

const ok = z.literal(true);
export const hubGateways = ['sharkpay', 'wowpay'] as const;
export type HubGateway = (typeof hubGateways)[number];
export const wowPayChannels = ['momo', 'zalo', 'bankcard', 'bankcard_qr', 'bankcard_free'] as const;
export type WowPayChannel = (typeof wowPayChannels)[number];

/** Gateways print statuses as words or numbers; kept verbatim as text. */
const rawStatus = z.union([z.string(), z.number()]).transform(String);

export const hubSettingsAnswerSchema = z.object({
  success: ok,
  data: z.object({
    gateway: z.enum(hubGateways),
    enabled: wireFlag,
    has_payin_secret_key: wireFlag,
    /** Not in the document's table; read when present. */
    has_payout_secret_key: wireFlag.optional(),
    settings: z.record(z.unknown()).default({}),
  }),
});

export const hubTestAnswerSchema = z.object({
  success: ok,
  message: z.string().optional(),
  data: z.object({ gateway: z.enum(hubGateways).optional(), mode: z.string().optional() }).passthrough().optional(),
});

/** Assumed: what a checkout needs, whichever the gateway and channel provide. */
export const hubCreateAnswerSchema = z.object({
  success: ok,
  data: z.object({
    gateway: z.enum(hubGateways).optional(),
    order_no: z.union([z.string(), z.number()]).transform(String),
    merchant_order_no: z.string(),
    amount: wireDong,
    status: rawStatus.optional(),
    pay_url: optionalText,
    qr_data: optionalText,
    qr_image: optionalText,
    deep_link: optionalText,
    bank_code: optionalText,
    bank_name: optionalText,
    account_no: optionalText,
    account_name: optionalText,
    transfer_content: optionalText,
    expire_at: wireInstant.nullish(),
  }),
});
export type HubCreateAnswer = z.output<typeof hubCreateAnswerSchema>['data'];

/** Assumed: the order as the gateway last reported it. */
export const hubQueryAnswerSchema = z.object({
  success: ok,
  data: z.object({
    gateway: z.enum(hubGateways).optional(),
    type: z.enum(['payin', 'payout']).optional(),
    order_no: z.union([z.string(), z.number()]).transform(String),
    merchant_order_no: z.string(),
    amount: wireDong,
    /** What actually arrived, when the gateway says (may differ from the order's amount). */
    paid_amount: wireDong.nullish(),
    fee: wireDong.nullish(),
    status: rawStatus,
    updated_at: wireInstant.nullish(),
  }),
});
export type HubQueryAnswer = z.output<typeof hubQueryAnswerSchema>['data'];

/** Assumed: a payout is accepted with the gateway's order number and a status. */
export const hubPayoutAnswerSchema = z.object({
  success: ok,
  data: z.object({
    gateway: z.enum(hubGateways).optional(),
    order_no: z.union([z.string(), z.number()]).transform(String),
    merchant_order_no: z.string(),
    amount: wireDong,
    fee: wireDong.nullish(),
    status: rawStatus.optional(),
  }),
});
