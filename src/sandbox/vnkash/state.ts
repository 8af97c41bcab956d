// What a VNKash merchant account holds, in memory: the wallet, the API keys
// and their last nonces, the deposits and withdrawals it created, and the
// history of movements (the only thing the API lets a client read back).
import type { SimEndpoint } from './codes.js';
import type { SimSignatureAlgorithm } from './signature.js';

export interface SimApiKey {
  publicKey: string;
  secretKey: string;
  signatureAlgorithm?: SimSignatureAlgorithm;
  /** When set, only these caller IPs are let in. */
  allowedIps?: string[];
  /** Endpoints this key may not use ("not permitted" codes). */
  denied?: SimEndpoint[];
  /** "API account locked". */
  apiLocked?: boolean;
}

/** Switches on the merchant's own account, each tied to a documented code. */
export interface SimAccountFlags {
  /** balance.json 1: the account owning the API is locked. */
  ownerLocked: boolean;
  /** deposit 6, history 2, withdraw 9, transfer 7. */
  userLocked: boolean;
  depositLocked: boolean;
  historyLocked: boolean;
  withdrawLocked: boolean;
  /** transfer 6. */
  sendLocked: boolean;
  /**
   * history.json ignores its `order` and `batch` filters and answers every
   * row (a server that does not honour them): a client must not take another
   * order's row for its own.
   */
  historyIgnoresFilters: boolean;
  /**
   * History rows echo the partner's order code in their description
   * (`{"index": n, "order": …}`). The document shows only `{"index": n}`.
   */
  historyEchoesOrder: boolean;
}

export interface SimUser {
  /** Phone number or e-mail. */
  account: string;
  name: string;
  /** transfer 4. */
  receiveLocked?: boolean;
  /** transfer 5 (wrong or locked). */
  locked?: boolean;
}

export interface SimBankAccount {
  payment: string;
  account: string;
  name: string;
  /** bank 1. */
  locked?: boolean;
}

export type SimOrderState = 'pending' | 'succeeded' | 'failed';

export interface SimDeposit {
  id: number;
  order?: string;
  currency: string;
  amount: bigint;
  payment: string;
  payee: string;
  name: string;
  description: string;
  batch: string;
  callback?: string;
  state: SimOrderState;
  createdAt: Date;
}

export interface SimWithdrawal {
  id: number;
  order?: string;
  currency: string;
  amount: bigint;
  payment: string;
  account: string;
  name: string;
  batch: string;
  callback?: string;
  state: SimOrderState;
  createdAt: Date;
}

export interface SimHistoryRow {
  batch: string;
  source: string;
  type: string;
  currency: string;
  amount: bigint;
  fee: bigint;
  description: Record<string, unknown>;
  date: Date;
  /** The partner's order code the row answers to (history's `order` filter). */
  order?: string;
}

/** One API request as the simulator saw it (for people building a client, and for tests). */
export interface SimRequestLogEntry {
  at: Date;
  endpoint: string;
  publicKey?: string;
  nonce?: string;
  /** The {"error": N} it was answered with, if any. */
  error?: number;
}

export interface SimState {
  balance: bigint;
  /** The last requests, oldest first (at most 500). */
  requests: SimRequestLogEntry[];
  flags: SimAccountFlags;
  /** Last nonce per public key, in hundredths. */
  nonces: Map<string, bigint>;
  deposits: SimDeposit[];
  withdrawals: SimWithdrawal[];
  history: SimHistoryRow[];
  /** The next history row's description.index: rows are numbered 1, 2, 3 … as in the document's example. */
  nextRowIndex: number;
  users: SimUser[];
  bankAccounts: SimBankAccount[];
}

/** A 13-hex-digit reference like PHP's uniqid() ("56602A4DAA807"). */
export function makeBatch(sequence: number, now = Date.now()): string {
  return (BigInt(now) * 1000n + BigInt(sequence % 1000)).toString(16).toUpperCase().padStart(13, '0').slice(-13);
}

/** The state as plain JSON (bigints as strings, Maps as objects). */
export function stateToJson(state: unknown): unknown {
  return JSON.parse(
    JSON.stringify(state, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Map) return Object.fromEntries(value);
      return value;
    }),
  );
}
