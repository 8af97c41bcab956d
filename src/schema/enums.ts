// GraphQL enums shared by several type files and by the error types
// (errors.ts). Their values come from the domain or the errors' own lists.
import { builder } from './builder.js';
import { providerIds } from '../domain/order-kind.js';
import { cardFailureCodes } from '../domain/card-failure.js';
import { reviewRefusalCodes } from '../errors/index.js';
import { paymentMethods, routeIds } from '../domain/routing.js';
import { hubGateways } from '../providers/apinganhang/index.js';

export const ProviderEnum = builder.enumType('Provider', { values: providerIds });

export const CardFailureCodeEnum = builder.enumType('CardFailureCode', {
  values: cardFailureCodes,
  description:
    'CARD_INVALID (provider status 3): bad, used or mistyped card. PROVIDER_MAINTENANCE (4): retryable, submit the same card again later with a new idempotency key. SUBMISSION_REJECTED (100): refused, the reason is in providerMessage.',
});

export const ReviewRefusalCodeEnum = builder.enumType('ReviewRefusalCode', {
  values: reviewRefusalCodes,
  description:
    'NOT_IN_REVIEW: not (or no longer) waiting for a person. FINAL_STATUS: a SUCCEEDED order or charge never changes. ALREADY_MATCHED / NOT_INCOMING / STILL_MATCHING: the bank line cannot be tied (already tied, money out, the matcher is still on it). NOT_BANK_TRANSFER / ORDER_SETTLED / ORDER_CLOSED / ORDER_CHANGED: the order cannot take this payment (not a bank-transfer order, already paid or under review, closed, changed meanwhile).',
});

export const RouteEnum = builder.enumType('Route', {
  values: routeIds,
  description: 'One way through one provider account: AZCONNECTPAY, the Payment Hub gateways HUB_SHARKPAY and HUB_WOWPAY, VNKASH, or BANK_ACCOUNT (your own bank account, confirmed from its statement).',
});

/** A provider's own words as GraphQL enum values: upper case in the schema, the provider's word in resolvers. */
export function providerWords<const Word extends string>(words: readonly Word[]) {
  return Object.fromEntries(words.map((word) => [word.toUpperCase(), { value: word }])) as { [W in Word as Uppercase<W>]: { value: W } };
}

/** The Payment Hub's gateways, from the provider module; resolvers get 'sharkpay' / 'wowpay'. */
export const GatewayEnum = builder.enumType('HubGateway', { values: providerWords(hubGateways) });

export const PaymentMethodEnum = builder.enumType('PaymentMethod', {
  values: paymentMethods,
  description:
    'How money moves, the union of what the providers offer. Collecting: BANK_TRANSFER (AZConnectPay, VNKash deposit, your own bank account), MOMO (AZConnectPay, WowPay), ZALOPAY, BANK_QR, BANK_CARD (WowPay), GATEWAY_PAGE (SharkPay: the payer pays on its page). Payouts: BANK_TRANSFER, MOMO, VNKASH (a VNKash wallet).',
});
export const DirectionEnum = builder.enumType('PaymentDirection', { values: ['IN', 'OUT'] as const, description: 'IN: collecting from a payer. OUT: paying someone.' });
