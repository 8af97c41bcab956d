// The simulator's memory: users and their tokens, linked accounts, pending
// OTPs, the transaction ledger, Payment Hub settings and orders,
// notifications and deposits. One store per simulator instance.
import { randomBytes } from 'node:crypto';

export const BANKS = ['MBBANK', 'BIDV', 'VIETCOMBANK', 'ACB', 'VIETTINBANK', 'SEABANK', 'VIETTEL'] as const;
export type Gateway = 'sharkpay' | 'wowpay';

export interface SimUser {
  id: number;
  username: string;
  password: string;
  email: string;
  level: number;
  money: number;
  /** Package expiry, epoch seconds. */
  timeMomo: number;
  idTelegram: number | null;
  token?: string;
}

export interface SimAccount {
  id: number;
  userId: number;
  bankCode: string;
  accountNumber: string;
  holderName: string;
  balance: number;
  active: 0 | 1;
  loginId?: string;
  /** The provider stores the bank password encrypted; the simulator only remembers that one was given. */
  hasBankPassword: boolean;
}

export interface PendingOtp {
  userId: number;
  bankCode: string;
  loginId: string;
  password: string;
  accountNumber: string;
  otp: string;
  expiresAt: number;
  attempts: number;
}

export interface SimTransaction {
  id: number;
  userId: number;
  accountId: number;
  bank: string;
  refNo: string;
  description: string;
  /** Signed: + in, − out. */
  amount: number;
  account: string;
  balanceAfter: number;
  at: Date;
}

export interface HubConfig {
  gateway: Gateway;
  enabled: boolean;
  settings: Record<string, string>;
}

export interface HubOrder {
  orderNo: string;
  type: 'payin' | 'payout';
  gateway: Gateway;
  userId: number;
  merchantOrderNo: string;
  amount: number;
  paidAmount?: number;
  status: string;
  channel?: string;
  subject?: string;
  body?: string;
  notifyUrl?: string;
  deviceIp?: string;
  payee?: { bankCode: string; accountNo: string; accountName: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface SimNotification {
  id: number;
  userId: number;
  title: string;
  message: string;
  isRead: 0 | 1;
  createdAt: Date;
}

export interface SimDeposit {
  id: number;
  userId: number;
  amount: number;
  status: string;
  createdAt: Date;
}

export interface Store {
  users: SimUser[];
  accounts: SimAccount[];
  pendingOtps: PendingOtp[];
  transactions: SimTransaction[];
  hubConfigs: Map<string, HubConfig>;
  lastSavedGateway: Map<number, Gateway>;
  orders: HubOrder[];
  notifications: SimNotification[];
  deposits: SimDeposit[];
  webhook?: { url: string; secret: string };
  bankLogins: Record<string, string>;
  sequence: number;
}

export function nextId(store: Store): number {
  return ++store.sequence;
}

export const newToken = () => `sbx_${randomBytes(24).toString('hex')}`;

export const hubKey = (userId: number, gateway: Gateway) => `${userId}:${gateway}`;

export function notify(store: Store, userId: number, title: string, message: string, now: Date) {
  store.notifications.push({ id: nextId(store), userId, title, message, isRead: 0, createdAt: now });
}
