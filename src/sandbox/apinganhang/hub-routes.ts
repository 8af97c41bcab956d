// The Payment Hub from the provider's side: per-member gateway settings
// (secrets masked on read, kept when saved empty), the connection test, pay-in
// create/query and payout create with the enabled and whitelist-IP checks.
// Create/query/payout answers are our assumed shapes (the document shows the
// requests only); the connector reads exactly these.
import { randomInt } from 'node:crypto';
import { parseDong } from '../../domain/money.js';
import { epochSeconds, vietnamDateTime } from './format.js';
import { callerIp, fail, missing, ok, text, type Context } from './replies.js';
import { hubKey, notify, type Gateway, type HubConfig, type HubOrder, type Store } from './store.js';

const GATEWAYS = ['sharkpay', 'wowpay'] as const;
const CHANNELS = ['momo', 'zalo', 'bankcard', 'bankcard_qr', 'bankcard_free'] as const;
const SECRET_FIELDS = ['payin_secret_key', 'payout_secret_key', 'api_key'];
const PUBLIC_FIELDS: Record<Gateway, string[]> = {
  sharkpay: ['mch_id', 'notify_url', 'whitelist_ips'],
  wowpay: ['merchant_no', 'notify_url', 'whitelist_ips', 'callback_source_ips'],
};
const ORDER_TTL_S = 15 * 60;

const isGateway = (value: string): value is Gateway => (GATEWAYS as readonly string[]).includes(value);

function maskedView(gateway: Gateway, config: HubConfig | undefined) {
  const settings: Record<string, string> = {};
  for (const field of PUBLIC_FIELDS[gateway]) settings[field] = config?.settings[field] ?? '';
  for (const field of SECRET_FIELDS) if (config?.settings[field]) settings[field] = '********';
  return {
    gateway,
    enabled: config?.enabled ?? false,
    has_payin_secret_key: Boolean(config?.settings.payin_secret_key || config?.settings.api_key),
    has_payout_secret_key: Boolean(config?.settings.payout_secret_key || config?.settings.api_key),
    settings,
  };
}

export function getSettings({ store, user, request }: Context) {
  const asked = request.url.searchParams.get('gateway') ?? '';
  if (asked && !isGateway(asked)) return fail(422, 'gateway phải là sharkpay hoặc wowpay');
  // Without ?gateway the member's last saved gateway answers (sharkpay if none).
  const gateway: Gateway = asked ? (asked as Gateway) : (store.lastSavedGateway.get(user.id) ?? 'sharkpay');
  return ok({ data: maskedView(gateway, store.hubConfigs.get(hubKey(user.id, gateway))) });
}

export function saveSettings({ store, user, params }: Context) {
  const gateway = text(params, 'gateway');
  if (!isGateway(gateway)) return fail(422, 'gateway phải là sharkpay hoặc wowpay');
  const incoming = params.settings;
  if (!incoming || typeof incoming !== 'object' || Array.isArray(incoming)) return fail(422, 'Thiếu trường settings');
  const fields = incoming as Record<string, unknown>;
  const idField = gateway === 'sharkpay' ? 'mch_id' : 'merchant_no';
  if (!text(fields, idField)) return fail(422, `Thiếu trường settings.${idField}`);
  const key = hubKey(user.id, gateway);
  const previous = store.hubConfigs.get(key);
  const settings: Record<string, string> = {};
  for (const field of PUBLIC_FIELDS[gateway]) settings[field] = text(fields, field);
  for (const field of SECRET_FIELDS) {
    // An empty secret keeps the stored one (the document).
    const value = text(fields, field);
    if (value) settings[field] = value;
    else if (previous?.settings[field]) settings[field] = previous.settings[field]!;
  }
  const config: HubConfig = { gateway, enabled: params.enabled === true || params.enabled === 1 || params.enabled === '1' || params.enabled === 'true', settings };
  store.hubConfigs.set(key, config);
  store.lastSavedGateway.set(user.id, gateway);
  return ok({ message: 'Đã lưu cấu hình', data: maskedView(gateway, config) });
}

const payinSecret = (config: HubConfig) => config.settings.payin_secret_key || config.settings.api_key || '';
const payoutSecret = (config: HubConfig) => config.settings.payout_secret_key || config.settings.api_key || '';
export const callbackSecret = (config: HubConfig, type: 'payin' | 'payout') => (type === 'payin' ? payinSecret(config) : payoutSecret(config) || payinSecret(config));

export function testGateway({ store, user, params }: Context) {
  const gateway = text(params, 'gateway');
  if (!isGateway(gateway)) return fail(422, 'gateway phải là sharkpay hoặc wowpay');
  const mode = text(params, 'mode') || 'payin';
  if (mode !== 'payin' && mode !== 'payout') return fail(422, 'mode phải là payin hoặc payout');
  const config = store.hubConfigs.get(hubKey(user.id, gateway));
  if (!config) return fail(400, `Chưa cấu hình ${gateway}`);
  const idField = gateway === 'sharkpay' ? 'mch_id' : 'merchant_no';
  if (!config.settings[idField]) return fail(400, `Thiếu ${idField}`);
  const secret = mode === 'payin' ? payinSecret(config) : payoutSecret(config);
  if (!secret) return fail(400, `Thiếu ${mode}_secret_key`);
  return ok({ message: 'Kết nối gateway thành công', data: { gateway, mode } });
}

/** Enabled, and the caller's IP in the member's whitelist when one is set. */
function checkGateway(ctx: Context, gateway: Gateway) {
  const config = ctx.store.hubConfigs.get(hubKey(ctx.user.id, gateway));
  if (!config) return { error: fail(400, `Chưa cấu hình ${gateway}`) };
  if (!config.enabled) return { error: fail(400, `Gateway ${gateway} đang tắt`) };
  const whitelist = (config.settings.whitelist_ips ?? '')
    .split(',')
    .map((ip) => ip.trim())
    .filter(Boolean);
  const ip = callerIp(ctx.request);
  if (whitelist.length > 0 && !whitelist.includes(ip)) return { error: fail(400, `IP ${ip} không nằm trong whitelist`) };
  return { config };
}

function readAmount(params: Record<string, unknown>): number | undefined {
  try {
    const amount = parseDong(params.amount);
    return amount > 0n && amount <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(amount) : undefined;
  } catch {
    return undefined;
  }
}

/** Gateway order numbers: time-ordered and unique within this simulator (a counter, not chance). */
let orderSequence = randomInt(0, 1000);
function newOrderNo(gateway: Gateway) {
  orderSequence = (orderSequence + 1) % 1_000_000;
  return `${gateway === 'sharkpay' ? 'SP' : 'WP'}${Date.now()}${String(orderSequence).padStart(6, '0')}`;
}

function findOrder(store: Store, userId: number, gateway: Gateway, by: { orderNo?: string; merchantOrderNo?: string }) {
  return store.orders.find(
    (o) => o.userId === userId && o.gateway === gateway && ((by.orderNo && o.orderNo === by.orderNo) || (!by.orderNo && by.merchantOrderNo && o.merchantOrderNo === by.merchantOrderNo)),
  );
}

function paymentDetails(order: HubOrder, host: string | undefined) {
  const payUrl = `http://${host ?? 'sandbox.invalid'}/apinganhang/pay/${order.orderNo}`;
  const content = `${order.gateway === 'sharkpay' ? 'SP' : 'WP'} ${order.orderNo}`;
  const bank = { bank_code: 'MBBANK', bank_name: 'MB Bank', account_no: '0368492618', account_name: 'CONG TY THANH TOAN SANDBOX', transfer_content: content };
  switch (order.gateway === 'sharkpay' ? 'sharkpay' : order.channel) {
    case 'momo':
    case 'zalo':
      return { pay_url: payUrl, qr_data: `${order.channel}://pay?order=${order.orderNo}&amount=${order.amount}`, deep_link: `${order.channel}://app/pay/${order.orderNo}` };
    case 'bankcard_qr':
      return { pay_url: payUrl, qr_data: `00020101021238570010A000000727${order.orderNo}5303704540${order.amount}`, ...bank };
    default:
      return { pay_url: payUrl, ...bank };
  }
}

export function createPayin(ctx: Context) {
  const { store, user, params, now } = ctx;
  const gateway = text(params, 'gateway');
  if (!isGateway(gateway)) return fail(422, 'gateway phải là sharkpay hoặc wowpay');
  const absent = missing(params, ['merchant_order_no', 'amount']);
  if (absent) return fail(422, `Thiếu trường ${absent}`);
  const amount = readAmount(params);
  if (amount === undefined) return fail(422, 'amount không hợp lệ (VND, số nguyên)');
  const channel = gateway === 'wowpay' ? text(params, 'channel') || 'bankcard' : undefined;
  if (channel && !(CHANNELS as readonly string[]).includes(channel)) return fail(422, `channel không hỗ trợ: ${channel}`);
  const checked = checkGateway(ctx, gateway);
  if (checked.error) return checked.error;
  const merchantOrderNo = text(params, 'merchant_order_no');
  if (findOrder(store, user.id, gateway, { merchantOrderNo })) return fail(400, 'merchant_order_no đã tồn tại');
  const subject = text(params, 'subject') || `Pay ${merchantOrderNo}`;
  const order: HubOrder = {
    orderNo: newOrderNo(gateway),
    type: 'payin',
    gateway,
    userId: user.id,
    merchantOrderNo,
    amount,
    status: 'PENDING',
    ...(channel ? { channel } : {}),
    ...(gateway === 'sharkpay' ? { subject, body: text(params, 'body') || subject } : {}),
    ...(text(params, 'notify_url') ? { notifyUrl: text(params, 'notify_url') } : {}),
    ...(text(params, 'device_ip') ? { deviceIp: text(params, 'device_ip') } : {}),
    createdAt: now,
    updatedAt: now,
  };
  store.orders.push(order);
  return ok({
    data: {
      gateway,
      order_no: order.orderNo,
      merchant_order_no: merchantOrderNo,
      amount,
      status: order.status,
      ...paymentDetails(order, ctx.request.headers.host),
      expire_at: epochSeconds(now) + ORDER_TTL_S,
    },
  });
}

export function wireOrder(order: HubOrder) {
  return {
    gateway: order.gateway,
    type: order.type,
    order_no: order.orderNo,
    merchant_order_no: order.merchantOrderNo,
    amount: order.amount,
    ...(order.paidAmount === undefined ? {} : { paid_amount: order.paidAmount }),
    status: order.status,
    updated_at: vietnamDateTime(order.updatedAt),
  };
}

export function queryOrder({ store, user, params }: Context) {
  const gateway = text(params, 'gateway');
  if (!isGateway(gateway)) return fail(422, 'gateway phải là sharkpay hoặc wowpay');
  const orderNo = text(params, 'order_no');
  const merchantOrderNo = text(params, 'merchant_order_no');
  if (!orderNo && !merchantOrderNo) return fail(422, 'Thiếu order_no hoặc merchant_order_no');
  const order = findOrder(store, user.id, gateway, { ...(orderNo ? { orderNo } : {}), ...(merchantOrderNo ? { merchantOrderNo } : {}) });
  return order ? ok({ data: wireOrder(order) }) : fail(404, 'Không tìm thấy đơn hàng');
}

export function createPayout(ctx: Context) {
  const { store, user, params, now } = ctx;
  const gateway = text(params, 'gateway');
  if (!isGateway(gateway)) return fail(422, 'gateway phải là sharkpay hoặc wowpay');
  const absent = missing(params, ['merchant_order_no', 'amount', 'bank_code', 'account_no', 'account_name']);
  if (absent) return fail(422, `Thiếu trường ${absent}`);
  const amount = readAmount(params);
  if (amount === undefined) return fail(422, 'amount không hợp lệ (VND, số nguyên)');
  const checked = checkGateway(ctx, gateway);
  if (checked.error) return checked.error;
  if (!payoutSecret(checked.config)) return fail(400, 'Chưa cấu hình payout_secret_key');
  const merchantOrderNo = text(params, 'merchant_order_no');
  if (findOrder(store, user.id, gateway, { merchantOrderNo })) return fail(400, 'merchant_order_no đã tồn tại');
  const order: HubOrder = {
    orderNo: newOrderNo(gateway),
    type: 'payout',
    gateway,
    userId: user.id,
    merchantOrderNo,
    amount,
    status: 'PROCESSING',
    payee: { bankCode: text(params, 'bank_code'), accountNo: text(params, 'account_no'), accountName: text(params, 'account_name') },
    ...(text(params, 'notify_url') ? { notifyUrl: text(params, 'notify_url') } : {}),
    createdAt: now,
    updatedAt: now,
  };
  store.orders.push(order);
  notify(store, user.id, 'Lệnh chi', `Đã tạo lệnh chi ${merchantOrderNo}`, now);
  return ok({ data: { gateway, order_no: order.orderNo, merchant_order_no: merchantOrderNo, amount, fee: 0, status: order.status } });
}
