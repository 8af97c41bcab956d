// A bank statement line as API Ngân hàng reports it, and the unified shape the
// import worker stores. The bank's ref_no, with the bank, identifies a
// transaction: importing the same one twice must not create two rows.
import { z } from 'zod';
import { optionalText, wireDong, wireEpochSeconds, wireId, wireVietnamTime } from './wire.js';

export interface BankTransaction {
  /** API Ngân hàng's id. */
  id: number;
  /** Signed đồng: positive in, negative out. */
  amount: bigint;
  direction: 'IN' | 'OUT';
  bank: string;
  /** The bank's reference (ref_no); with `bank`, the natural key. */
  refNo: string;
  description: string;
  /** The linked account number. */
  account: string;
  balanceAfter: bigint | null;
  /** UTC instant of "15/04/2026 09:30:00" (Vietnam time). */
  transactionTime: Date;
  /** Epoch seconds when API Ngân hàng recorded it (created_at), when sent. */
  createdAt: number | null;
}

export const transactionWireSchema = z.object({
  id: wireId,
  amount: wireDong,
  bank: z.string(),
  ref_no: z.union([z.string(), z.number()]).nullish(),
  description: z.string().nullish(),
  type: z.enum(['in', 'out']).optional(),
  account: z.union([z.string(), z.number()]).nullish(),
  balance_after: wireDong.nullish(),
  transaction_time: wireVietnamTime,
  created_at: wireEpochSeconds.nullish(),
});

export type TransactionWire = z.output<typeof transactionWireSchema>;

export function toBankTransaction(wire: TransactionWire): BankTransaction {
  // `type` and the sign of `amount` say the same thing; the document gives
  // both. `type` wins when present, and the amount is signed to agree with it,
  // so a statement line is never counted the wrong way round.
  const direction: 'IN' | 'OUT' = wire.type ? (wire.type === 'in' ? 'IN' : 'OUT') : wire.amount < 0n ? 'OUT' : 'IN';
  const magnitude = wire.amount < 0n ? -wire.amount : wire.amount;
  return {
    id: wire.id,
    amount: direction === 'IN' ? magnitude : -magnitude,
    direction,
    bank: wire.bank,
    refNo: wire.ref_no === null || wire.ref_no === undefined ? '' : String(wire.ref_no),
    description: optionalText.parse(wire.description) ?? '',
    account: wire.account === null || wire.account === undefined ? '' : String(wire.account),
    balanceAfter: wire.balance_after ?? null,
    transactionTime: wire.transaction_time,
    createdAt: wire.created_at ? Math.floor(wire.created_at.getTime() / 1000) : null,
  };
}
