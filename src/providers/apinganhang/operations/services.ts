// Account services: dashboard, the API package (extension info, renewal),
// deposit info, public site settings, bank packages, notifications.
// Only site settings and packages have documented answers; the others are
// parsed in an assumed shape (see schemas.ts).
import { z } from 'zod';
import type { Answer, ApiNganHangHttp } from '../client.js';
import {
  dashboardChartsAnswerSchema,
  dashboardSummaryAnswerSchema,
  depositAnswerSchema,
  extensionAnswerSchema,
  notificationsAnswerSchema,
  packagesAnswerSchema,
  renewAnswerSchema,
  siteSettingsAnswerSchema,
} from '../schemas.js';
import { toBankTransaction, type BankTransaction } from '../transaction.js';

export interface PeriodTotals {
  totalIn: bigint;
  totalOut: bigint;
  net: bigint;
  count?: number;
}

export interface DashboardSummary {
  today: PeriodTotals;
  week: PeriodTotals;
  month: PeriodTotals;
  quarter: PeriodTotals;
  /** The 5 latest transactions. */
  recent: BankTransaction[];
}

export interface DashboardCharts {
  /** One point per day, the last 30 days (Vietnam calendar dates). */
  daily: { date: string; totalIn: bigint; totalOut: bigint }[];
  categories: { name: string; totalIn: bigint; totalOut: bigint }[];
}

export interface PackageStatus {
  expiresAt: Date | null;
  pricePerMonth: bigint;
  daysLeft: number;
}

export interface Renewal {
  months: number;
  charged: bigint;
  /** The API Ngân hàng balance after paying. */
  balance: bigint;
  expiresAt: Date;
}

export interface DepositInfo {
  balance: bigint;
  minDeposit: bigint;
  transfer?: { bankCode: string; accountNumber: string; holderName: string | null; content: string | null };
  history: { id: number; amount: bigint; status?: string; createdAt: Date | null }[];
}

export interface SiteSettings {
  title: string;
  description?: string;
  logo?: string;
  hotline?: string;
  linkFacebook?: string;
  linkZalo?: string;
}

export interface BankPackage {
  id: number;
  bankCode: string;
  name: string;
  /** đồng per month. */
  price: bigint;
  features: string;
  active: boolean;
}

export interface Notification {
  id: number;
  title: string;
  message: string;
  read: boolean;
  createdAt: Date | null;
}

const totals = (wire: { total_in: bigint; total_out: bigint; net: bigint; count?: number | undefined }): PeriodTotals => ({
  totalIn: wire.total_in,
  totalOut: wire.total_out,
  net: wire.net,
  ...(wire.count === undefined ? {} : { count: wire.count }),
});

export const renewalMonthsSchema = z.number().int().min(1).max(12);

export function serviceOperations(http: ApiNganHangHttp) {
  return {
    async dashboardSummary(): Promise<Answer<DashboardSummary>> {
      const answer = await http.json('dashboardSummary', { idempotency: 'safe' }, dashboardSummaryAnswerSchema);
      const data = answer.data.data;
      return {
        data: { today: totals(data.today), week: totals(data.week), month: totals(data.month), quarter: totals(data.quarter), recent: data.recent.map(toBankTransaction) },
        raw: answer.raw,
      };
    },
    async dashboardCharts(): Promise<Answer<DashboardCharts>> {
      const answer = await http.json('dashboardCharts', { idempotency: 'safe' }, dashboardChartsAnswerSchema);
      const data = answer.data.data;
      return {
        data: {
          daily: data.daily.map((point) => ({ date: point.date, totalIn: point.total_in, totalOut: point.total_out })),
          categories: data.categories.map((category) => ({ name: category.name, totalIn: category.total_in, totalOut: category.total_out })),
        },
        raw: answer.raw,
      };
    },
    async extensionInfo(): Promise<Answer<PackageStatus>> {
      const answer = await http.json('extensionInfo', { idempotency: 'safe' }, extensionAnswerSchema);
      const data = answer.data.data;
      return { data: { expiresAt: data.expires_at ?? null, pricePerMonth: data.price_per_month, daysLeft: data.days_left }, raw: answer.raw };
    },
    /** Renews the API package for 1–12 months, paid from the API Ngân hàng balance: moves money, sent once. */
    async renew(months: number): Promise<Answer<Renewal>> {
      const valid = renewalMonthsSchema.parse(months);
      const answer = await http.json('renew', { body: { months: valid }, idempotency: 'money' }, renewAnswerSchema);
      const data = answer.data.data;
      return { data: { months: data.months, charged: data.charged, balance: data.money, expiresAt: data.expires_at }, raw: answer.raw };
    },
    async depositInfo(): Promise<Answer<DepositInfo>> {
      const answer = await http.json('depositInfo', { idempotency: 'safe' }, depositAnswerSchema);
      const data = answer.data.data;
      return {
        data: {
          balance: data.money,
          minDeposit: data.min_deposit,
          ...(data.transfer
            ? { transfer: { bankCode: data.transfer.bank_code, accountNumber: data.transfer.account_number, holderName: data.transfer.holder_name ?? null, content: data.transfer.content ?? null } }
            : {}),
          history: data.history.map((entry) => ({ id: entry.id, amount: entry.amount, ...(entry.status === undefined ? {} : { status: entry.status }), createdAt: entry.created_at ?? null })),
        },
        raw: answer.raw,
      };
    },
    async siteSettings(): Promise<Answer<SiteSettings>> {
      const answer = await http.json('siteSettings', { idempotency: 'safe' }, siteSettingsAnswerSchema);
      const data = answer.data.data;
      return {
        data: { title: data.title, description: data.description, logo: data.logo, hotline: data.hotline, linkFacebook: data.link_facebook, linkZalo: data.link_zalo },
        raw: answer.raw,
      };
    },
    async bankPackages(): Promise<Answer<BankPackage[]>> {
      const answer = await http.json('packages', { idempotency: 'safe' }, packagesAnswerSchema);
      return {
        data: answer.data.data.map((item) => ({ id: item.id, bankCode: item.bank_code, name: item.name, price: item.price, features: item.features ?? '', active: item.active })),
        raw: answer.raw,
      };
    },
    /** The last 100 notifications, newest first. */
    async notifications(): Promise<Answer<Notification[]>> {
      const answer = await http.json('notifications', { idempotency: 'safe' }, notificationsAnswerSchema);
      return {
        data: answer.data.data.map((item) => ({ id: item.id, title: item.title ?? '', message: item.message ?? '', read: item.is_read ?? false, createdAt: item.created_at ?? null })),
        raw: answer.raw,
      };
    },
  };
}
