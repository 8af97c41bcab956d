// Bank accounts linked at API Ngân hàng: the local copy of the provider's
// list, adding one, and the two-step OTP connect.
//
// Between the OTP steps the provider needs the bank password again. It is
// kept sealed (SealedBox, AES-256-GCM, bound to the challenge row by the
// associated data) in a row that expires with the OTP and is deleted once
// the OTP is verified; never in plain text, never logged, never returned.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LinkedAccount } from '../providers/apinganhang/index.js';
import type { Logger } from '../logger.js';
import type { SealedBox } from './sealed-box.js';
import type { BankProvider } from './bank-provider.js';
import { ProviderRefusedError, NotFoundError, ValidationError } from '../errors/index.js';

/** The simulator's (and, as far as the document says, the bank's) OTP lifetime. */
export const OTP_CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong OTPs allowed before the challenge is dropped (the provider stops at 5 too). */
export const OTP_MAX_ATTEMPTS = 5;

export const linkableBankCodes = ['MBBANK', 'BIDV', 'VIETCOMBANK', 'ACB', 'VIETTINBANK', 'SEABANK', 'VIETTEL'] as const;

export interface BankLoginInput {
  bankCode: string;
  loginId: string;
  password: string;
  accountNumber: string;
}

export type OtpRequestResult =
  | { step: 'OTP_REQUIRED'; challengeId: string; message: string; expiresAt: Date }
  | { step: 'DONE'; message: string; accountId: string };

const challengeAad = (merchantId: string, challengeId: string) => `bank-otp:${merchantId}:${challengeId}`;

function checkBank(code: string): string {
  const bank = code.trim().toUpperCase();
  if (!(linkableBankCodes as readonly string[]).includes(bank)) throw new ValidationError(`bankCode: one of ${linkableBankCodes.join(', ')}`, 'bankCode');
  return bank;
}

function checkAccountNumber(value: string): string {
  const number = value.trim();
  if (number.length < 4 || number.length > 64) throw new ValidationError('accountNumber: 4 to 64 characters', 'accountNumber');
  return number;
}

function checkLogin(input: BankLoginInput): BankLoginInput {
  const loginId = input.loginId.trim();
  if (!loginId || loginId.length > 128) throw new ValidationError('loginId: 1 to 128 characters', 'loginId');
  if (!input.password || input.password.length > 256) throw new ValidationError('password: 1 to 256 characters', 'password');
  return { bankCode: checkBank(input.bankCode), loginId, password: input.password, accountNumber: checkAccountNumber(input.accountNumber) };
}

export class BankAccounts {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly provider: BankProvider,
    private readonly box: SealedBox,
    private readonly logger: Logger,
  ) {}

  /** Reads the provider's list (one bank's, or all), brings the local copy up to date and returns it. */
  async sync(merchantId: string, bank?: string) {
    const linked = await this.provider.with(merchantId, async (client) => (await client.listAccounts(bank ? { bank } : {})).data);
    const now = new Date();
    const ids: string[] = [];
    for (const account of linked) ids.push((await this.save(merchantId, account, now)).id);
    // Gone from the provider's list: kept (its transactions point at it), shown inactive.
    await this.prisma.bankAccount.updateMany({
      where: { merchantId, id: { notIn: ids }, ...(bank ? { bankCode: bank.toUpperCase() } : {}) },
      data: { active: false, lastSyncedAt: now },
    });
    return this.prisma.bankAccount.findMany({ where: { merchantId, ...(bank ? { bankCode: bank.toUpperCase() } : {}) }, orderBy: [{ bankCode: 'asc' }, { accountNumber: 'asc' }] });
  }

  private save(merchantId: string, account: LinkedAccount, now: Date) {
    const data = {
      bankCode: account.bankCode,
      accountNumber: account.accountNumber,
      holderName: account.holderName,
      balance: account.balance,
      active: account.active,
      lastSyncedAt: now,
    };
    return this.prisma.bankAccount.upsert({
      where: { merchantId_providerAccountId: { merchantId, providerAccountId: String(account.id) } },
      create: { merchantId, providerAccountId: String(account.id), ...data },
      update: data,
      select: { id: true },
    });
  }

  /** Links an account without OTP (the provider's add-account). */
  async add(merchantId: string, input: { bankCode: string; accountNumber: string; holderName?: string; loginId?: string; password?: string }) {
    const bankCode = checkBank(input.bankCode);
    const accountNumber = checkAccountNumber(input.accountNumber);
    const account = await this.provider.with(merchantId, async (client) =>
      (
        await client.addAccount({
          bankCode: bankCode as (typeof linkableBankCodes)[number],
          accountNumber,
          ...(input.holderName ? { holderName: input.holderName } : {}),
          ...(input.loginId ? { loginId: input.loginId } : {}),
          ...(input.password ? { password: input.password } : {}),
        })
      ).data,
    );
    const { id } = await this.save(merchantId, account, new Date());
    return id;
  }

  /** Step 1: the provider logs in to the bank, which texts an OTP to the account holder. */
  async requestOtp(merchantId: string, input: BankLoginInput): Promise<OtpRequestResult> {
    const login = checkLogin(input);
    const answer = await this.provider.with(merchantId, async (client) => (await client.requestOtp(login)).data);
    if (answer.step === 'done') {
      // Some banks need no OTP: connected already.
      return { step: 'DONE', message: answer.message ?? '', accountId: await this.connected(merchantId, answer.account.id, login) };
    }
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + OTP_CHALLENGE_TTL_MS);
    await this.prisma.bankOtpChallenge.create({
      data: {
        id,
        merchantId,
        bankCode: login.bankCode,
        loginId: login.loginId,
        accountNumber: login.accountNumber,
        sealedPassword: this.box.seal({ password: login.password }, challengeAad(merchantId, id)),
        expiresAt,
      },
    });
    return { step: 'OTP_REQUIRED', challengeId: id, message: answer.message, expiresAt };
  }

  /** Step 2: the OTP, with the login of step 1 (opened from the challenge). Returns the connected account's id. */
  async verifyOtp(merchantId: string, challengeId: string, otp: string): Promise<string> {
    if (!/^\d{6}$/.test(otp)) throw new ValidationError('otp: the 6 digits the bank sent', 'otp');
    const challenge = await this.prisma.bankOtpChallenge.findFirst({ where: { id: challengeId, merchantId, expiresAt: { gt: new Date() } } });
    if (!challenge) throw new NotFoundError('BankOtpChallenge', challengeId);
    const { password } = this.box.open<{ password: string }>(challenge.sealedPassword, challengeAad(merchantId, challenge.id));
    const login = { bankCode: challenge.bankCode, loginId: challenge.loginId, password, accountNumber: challenge.accountNumber };
    let answer;
    try {
      answer = await this.provider.with(merchantId, async (client) => (await client.verifyOtp({ ...login, otp })).data);
    } catch (error) {
      if (error instanceof ProviderRefusedError) {
        // A wrong OTP: the challenge stays for another try, up to the provider's own limit.
        const attempts = challenge.attempts + 1;
        if (attempts >= OTP_MAX_ATTEMPTS) await this.prisma.bankOtpChallenge.deleteMany({ where: { id: challenge.id } });
        else await this.prisma.bankOtpChallenge.updateMany({ where: { id: challenge.id }, data: { attempts } });
      }
      throw error;
    }
    await this.prisma.bankOtpChallenge.deleteMany({ where: { id: challenge.id } });
    if (answer.step !== 'done') throw new ProviderRefusedError('APINGANHANG', 'otp_required', 'API Ngân hàng asked for another OTP; request a new one');
    return this.connected(merchantId, answer.account.id, login);
  }

  /** Records a freshly connected account, then completes it (holder, balance) from the provider's list when it can. */
  private async connected(merchantId: string, providerAccountId: number, login: { bankCode: string; accountNumber: string }): Promise<string> {
    const { id } = await this.save(merchantId, { id: providerAccountId, bankCode: login.bankCode, accountNumber: login.accountNumber, holderName: null, balance: null, active: true }, new Date());
    await this.sync(merchantId).catch((error) => this.logger.warn({ merchantId, err: (error as Error).message }, 'connected a bank account but could not refresh the account list'));
    return id;
  }

  /** Challenges past their OTP's life (their sealed passwords with them). */
  purgeExpiredChallenges(now = new Date()) {
    return this.prisma.bankOtpChallenge.deleteMany({ where: { expiresAt: { lt: now } } });
  }

  /** bank|accountNumber → local account id, for linking statement lines to their account. */
  async accountIndex(merchantId: string): Promise<Map<string, string>> {
    const rows = await this.prisma.bankAccount.findMany({ where: { merchantId }, select: { id: true, bankCode: true, accountNumber: true } });
    return new Map(rows.map((row) => [`${row.bankCode}|${row.accountNumber}`, row.id]));
  }
}
