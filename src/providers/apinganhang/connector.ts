// The Payment Hub as an OrderConnector: HUB_PAYIN (create.php) and
// HUB_PAYOUT (payout.php, assumed path) through SharkPay or WowPay, status by
// query.php, and the forwarded gateway callbacks.
import type { CreateOrderInput, CreateOrderResult, OrderConnector, OrderRef, PaymentInstructions, StatusReport } from '../types.js';
import { createApiNganHangHttp, type ApiNganHangClientOptions } from './client.js';
import { apiNganHangCredentialsSchema, type ApiNganHangCredentials, type ApiNganHangCredentialsInput } from './credentials.js';
import { hubCallbackAcknowledgement, hubCallbackRejection, verifyHubCallback } from './callback.js';
import { wowPayChannels, type HubCreateAnswer, type HubGateway, type WowPayChannel } from './hub-schemas.js';
import { hubOperations } from './operations/hub.js';
import { mapGatewayStatus, movedAmount } from './status.js';
import { ProviderNotSupportedError, ProviderRefusedError, ValidationError } from '../../errors/index.js';

const PROVIDER = 'APINGANHANG' as const;

function gatewayOf(value: string | null | undefined, what: string): HubGateway {
  if (value === 'sharkpay' || value === 'wowpay') return value;
  throw new ValidationError(`gateway: a Payment Hub order needs gateway 'sharkpay' or 'wowpay' (${what})`, 'gateway');
}

function channelOf(gateway: HubGateway, method: string | undefined): WowPayChannel | undefined {
  if (gateway !== 'wowpay' || method === undefined) return undefined;
  if ((wowPayChannels as readonly string[]).includes(method)) return method as WowPayChannel;
  throw new ValidationError(`method: unknown WowPay channel ${JSON.stringify(method)} (expected one of ${wowPayChannels.join(', ')})`, 'method');
}

function instructionsOf(answer: HubCreateAnswer): PaymentInstructions {
  const instructions: PaymentInstructions = { amount: answer.amount };
  if (answer.pay_url) instructions.payUrl = answer.pay_url;
  if (answer.qr_data) instructions.qrData = answer.qr_data;
  if (answer.qr_image) instructions.qrImage = answer.qr_image;
  if (answer.deep_link) instructions.deepLink = answer.deep_link;
  if (answer.bank_code) instructions.bankCode = answer.bank_code;
  if (answer.bank_name) instructions.bankName = answer.bank_name;
  if (answer.account_no) instructions.accountNumber = answer.account_no;
  if (answer.account_name) instructions.accountName = answer.account_name;
  if (answer.transfer_content) instructions.transferContent = answer.transfer_content;
  if (answer.expire_at) instructions.expiresAt = answer.expire_at;
  return instructions;
}

/** The Hub's rules we know before sending: a gateway, a WowPay channel from the list, a payee for payouts, a whole positive amount. */
export function validateHubOrder(input: CreateOrderInput): { field: string; message: string } | null {
  if (input.kind !== 'HUB_PAYIN' && input.kind !== 'HUB_PAYOUT') return { field: 'kind', message: `the Payment Hub does not handle ${input.kind} orders` };
  if (input.gateway !== 'sharkpay' && input.gateway !== 'wowpay') return { field: 'gateway', message: "a Payment Hub order needs gateway 'sharkpay' or 'wowpay'" };
  if (input.amount <= 0n || input.amount > BigInt(Number.MAX_SAFE_INTEGER)) return { field: 'amount', message: 'a positive whole number of đồng' };
  if (input.kind === 'HUB_PAYIN' && input.gateway === 'wowpay' && input.method !== undefined && !(wowPayChannels as readonly string[]).includes(input.method)) {
    return { field: 'method', message: `WowPay channels are ${wowPayChannels.join(', ')}` };
  }
  if (input.kind === 'HUB_PAYOUT') {
    if (!input.payee) return { field: 'payee', message: 'a payout needs a payee' };
    for (const key of ['bankCode', 'accountNumber', 'accountName'] as const) if (!input.payee[key]?.trim()) return { field: `payee.${key}`, message: 'required' };
  }
  try {
    new URL(input.callbackUrl);
  } catch {
    return { field: 'callbackUrl', message: 'not an absolute URL' };
  }
  return null;
}

/**
 * A created order that carries no status was accepted: pending until a query
 * says otherwise. The gateways document no status value: every word is read
 * by name and marked undocumented (a failure word never fails a payout).
 */
function reportOf(rawStatus: string | undefined, raw: unknown, extra: Partial<StatusReport> = {}): StatusReport {
  if (rawStatus === undefined) return { status: 'PENDING', documented: false, rawStatus: '', raw, ...extra };
  return { status: mapGatewayStatus(rawStatus), documented: false, rawStatus, raw, ...extra };
}

/** From the merchant's stored credentials (flat fields, see credentials.ts). */
export function createPaymentHubConnector(credentials: ApiNganHangCredentialsInput, options: ApiNganHangClientOptions = {}): OrderConnector {
  return paymentHubConnectorFor(apiNganHangCredentialsSchema.parse(credentials), options);
}

/** From credentials already parsed by apiNganHangCredentialsSchema (the registry's path). */
export function paymentHubConnectorFor(parsed: ApiNganHangCredentials, options: ApiNganHangClientOptions = {}): OrderConnector {
  const hub = hubOperations(createApiNganHangHttp(parsed, options));

  async function create(input: CreateOrderInput): Promise<CreateOrderResult> {
    if (input.kind !== 'HUB_PAYIN' && input.kind !== 'HUB_PAYOUT') throw new ProviderNotSupportedError(PROVIDER, `the Payment Hub does not handle ${input.kind} orders`);
    const problem = validateHubOrder(input);
    // Bad input is a ValidationError naming its field, whoever called (a resolver or createPayment's routing).
    if (problem) throw new ValidationError(`${problem.field}: ${problem.message}`, problem.field);
    const gateway = gatewayOf(input.gateway, `create ${input.kind}`);
    if (input.kind === 'HUB_PAYIN') {
      const { data, raw } = await hub.createPayin({
        gateway,
        merchantOrderNo: input.requestId,
        amount: input.amount,
        subject: input.description,
        channel: channelOf(gateway, input.method),
        // The calling server's IP for the Hub's whitelist (providers.md, Revised readings), never the payer's.
        deviceIp: parsed.hubDeviceIp,
        notifyUrl: input.callbackUrl,
      });
      return { report: reportOf(data.status, raw, { providerReference: data.order_no }), providerReference: data.order_no, instructions: instructionsOf(data) };
    }
    if (input.kind === 'HUB_PAYOUT') {
      if (!input.payee) throw new ValidationError('payee: a payout needs a payee', 'payee');
      const { data, raw } = await hub.createPayout({
        gateway,
        merchantOrderNo: input.requestId,
        amount: input.amount,
        bankCode: input.payee.bankCode,
        accountNumber: input.payee.accountNumber,
        accountName: input.payee.accountName,
        remark: input.description,
        deviceIp: parsed.hubDeviceIp,
        notifyUrl: input.callbackUrl,
      });
      return {
        report: reportOf(data.status, raw, { providerReference: data.order_no, ...(data.fee ? { fee: data.fee } : {}) }),
        providerReference: data.order_no,
        ...(data.fee ? { fee: data.fee } : {}),
      };
    }
    // Unreachable: the kind was checked above; kept so a new kind cannot fall through silently.
    throw new ProviderNotSupportedError(PROVIDER, `the Payment Hub does not handle ${input.kind} orders`);
  }

  async function queryStatus(order: OrderRef): Promise<StatusReport> {
    if (order.kind !== 'HUB_PAYIN' && order.kind !== 'HUB_PAYOUT') throw new ProviderNotSupportedError(PROVIDER, `the Payment Hub does not handle ${order.kind} orders`);
    const gateway = gatewayOf(order.gateway, `query ${order.requestId}`);
    let answer;
    try {
      answer = await hub.queryOrder({ gateway, merchantOrderNo: order.requestId, ...(order.providerReference ? { orderNo: order.providerReference } : {}) });
    } catch (error) {
      // The document's 404 "Không tìm thấy": the Hub has no such order (a create that never reached it).
      if (error instanceof ProviderRefusedError && error.code === '404') {
        return { status: null, notFound: true, rawStatus: 'NOT_FOUND', raw: { httpStatus: 404, message: error.options.providerMessage ?? error.message } };
      }
      throw error;
    }
    const { data, raw } = answer;
    const report = reportOf(data.status, raw, { providerReference: data.order_no, ...(data.fee ? { fee: data.fee } : {}) });
    const amount = movedAmount(report.status, data.amount, data.paid_amount ?? undefined);
    return amount === undefined ? report : { ...report, amount };
  }

  return {
    provider: PROVIDER,
    kinds: ['HUB_PAYIN', 'HUB_PAYOUT'],
    validate: validateHubOrder,
    create,
    queryStatus,
    verifyCallback: (callback, context) => verifyHubCallback(parsed, callback, context?.kind),
    acknowledge: hubCallbackAcknowledgement,
    reject: hubCallbackRejection,
  };
}
