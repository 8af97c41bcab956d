// The unified answer about one card charge. Card charges are not orders (the
// lead models them as their own type), so this is richer than StatusReport:
// a card can succeed at a different face value than declared.
import type { StatusReport } from '../types.js';

export type CardChargeStatus = 'SUCCEEDED' | 'FAILED' | 'PENDING';

export interface CardChargeReport {
  /** null: a status the document does not list; nothing should change, `raw` says what came. */
  status: CardChargeStatus | null;
  /** Status 2: the card was good but not worth what was declared; see declared/real value and amount. */
  valueMismatch: boolean;
  /** Status 4 (maintenance): the same card can be submitted again later. */
  retryable: boolean;
  /** The provider's status number, verbatim. */
  providerStatus: number;
  /** The provider's message (Vietnamese), e.g. the reason of a status 100. */
  message: string;
  requestId?: string;
  /** The provider's reference (trans_id). */
  transId?: string;
  telco?: string;
  /** The face value we declared, as the provider echoes it. */
  declaredValue?: bigint;
  /** The card's real face value: card_value ("Mệnh giá thực của thẻ"), sent only in the GET callback form. */
  realValue?: bigint;
  /** The face value the provider charges on: value ("Mệnh giá tính tiền"). */
  chargedValue?: bigint;
  /** What the merchant receives. Only set once the card succeeded; a pending answer's figure is an estimate kept in raw. */
  amount?: bigint;
  /** The payload as received, with code, serial and signs masked. */
  raw: Record<string, unknown>;
}

/** For code shared with orders (inbox, events): the report in the contract's StatusReport shape. */
export function toStatusReport(report: CardChargeReport): StatusReport {
  return {
    status: report.status,
    rawStatus: String(report.providerStatus),
    amount: report.amount,
    providerReference: report.transId,
    raw: report.raw,
  };
}
