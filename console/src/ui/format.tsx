// How values read in the console: money, time, statuses, providers, methods.
import { formatMoney, formatTime, translate, translateOr, type MessageKey } from '../i18n.js';

export const Money = ({ amount }: { amount: string | null | undefined }) => <span class="money">{formatMoney(amount)}</span>;

export const Time = ({ at, seconds = false }: { at: string | null | undefined; seconds?: boolean }) =>
  at ? <time dateTime={at}>{formatTime(at, seconds)}</time> : <span>{translate('common.none')}</span>;

const STATUS_TONE: Record<string, string> = {
  SUCCEEDED: 'ok',
  DELIVERED: 'ok',
  FAILED: 'bad',
  EXPIRED: 'muted',
  CANCELLED: 'muted',
  NEEDS_REVIEW: 'warn',
  PENDING: 'wait',
  PROCESSING: 'wait',
};

export function StatusBadge({ status, prefix = 'status' }: { status: string; prefix?: 'status' | 'delivery' }) {
  return (
    <span class={`badge badge-${STATUS_TONE[status] ?? 'muted'}`} data-status={status}>
      {translateOr(`${prefix}.${status}`, status)}
    </span>
  );
}

export const providerName = (provider: string) => translateOr(`provider.${provider}`, provider);
export const kindName = (kind: string) => translateOr(`orderKind.${kind}`, kind);
export const methodName = (method: string | null | undefined) => (method ? translateOr(`method.${method}`, method) : '');
/** A routing route (Route enum) and a payment method (PaymentMethod enum), as the routing pages and attempts show them. */
export const routeName = (route: string) => translateOr(`route.${route}`, route);
export const paymentMethodName = (method: string) => translateOr(`paymentMethod.${method}`, method);
export const reasonName = (reason: string) => translateOr(`reason.${reason}`, reason);

/** "AZConnectPay · bank transfer", "API Ngân hàng · sharkpay · bank_qr". */
export function channelName(provider: string, method?: string | null, gateway?: string | null) {
  return [providerName(provider), gateway, methodName(method)].filter(Boolean).join(' · ');
}

export const t = translate;
export type { MessageKey };
