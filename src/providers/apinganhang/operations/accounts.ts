// Linked bank accounts: list, add, and the two-step OTP connect.
// The bank password travels in both OTP steps (the document requires it
// again in step 2); it is sent, never kept here, never echoed in errors.
import { z } from 'zod';
import type { Answer, ApiNganHangHttp } from '../client.js';
import { accountListAnswerSchema, addAccountAnswerSchema, connectAnswerSchema } from '../schemas.js';

export const linkableBanks = ['MBBANK', 'BIDV', 'VIETCOMBANK', 'ACB', 'VIETTINBANK', 'SEABANK', 'VIETTEL'] as const;
export type LinkableBank = (typeof linkableBanks)[number];

export interface LinkedAccount {
  id: number;
  bankCode: string;
  accountNumber: string;
  holderName: string | null;
  balance: bigint | null;
  active: boolean;
}

export const addAccountInputSchema = z.object({
  bankCode: z.enum(linkableBanks),
  accountNumber: z.string().min(4).max(64),
  holderName: z.string().optional(),
  loginId: z.string().optional(),
  password: z.string().optional(),
});
export type AddAccountInput = z.input<typeof addAccountInputSchema>;

export const bankLoginSchema = z.object({
  bankCode: z.string().min(1),
  loginId: z.string().min(1),
  password: z.string().min(1),
  accountNumber: z.string().min(4).max(64),
});
export type BankLogin = z.input<typeof bankLoginSchema>;

export type ConnectResult = { step: 'otp_required'; message: string } | { step: 'done'; message?: string; account: { id: number; bankCode: string } };

export function accountOperations(http: ApiNganHangHttp) {
  const connect = async (body: Record<string, string>): Promise<Answer<ConnectResult>> => {
    // Sent once: step 1 makes the bank send an SMS, step 2 consumes the OTP.
    const answer = await http.json('connectAccount', { body, idempotency: 'money' }, connectAnswerSchema);
    const data = answer.data;
    return {
      data: data.step === 'otp_required' ? { step: 'otp_required', message: data.message } : { step: 'done', message: data.message, account: { id: data.data.id, bankCode: data.data.bank_code } },
      raw: answer.raw,
    };
  };
  const loginFields = (login: BankLogin) => {
    const valid = bankLoginSchema.parse(login);
    // Cut out of any provider text we keep (error messages echo fields sometimes).
    http.redactor.remember(valid.password);
    return { bank_code: valid.bankCode, login_id: valid.loginId, password: valid.password, account_number: valid.accountNumber };
  };

  return {
    /** GET /accounts/index.php, optionally only one bank's accounts. */
    async listAccounts(filter: { bank?: string } = {}): Promise<Answer<LinkedAccount[]>> {
      const answer = await http.json('listAccounts', { query: { bank: filter.bank }, idempotency: 'safe' }, accountListAnswerSchema);
      return {
        data: answer.data.data.map((wire) => ({
          id: wire.id,
          bankCode: wire.bank_code,
          accountNumber: wire.account_number,
          holderName: wire.holder_name ?? null,
          balance: wire.balance ?? null,
          active: wire.active,
        })),
        raw: answer.raw,
      };
    },
    /** Adds an account (no OTP). The answer's shape is assumed: the new account. */
    async addAccount(input: AddAccountInput): Promise<Answer<LinkedAccount>> {
      const valid = addAccountInputSchema.parse(input);
      if (valid.password) http.redactor.remember(valid.password);
      const answer = await http.json(
        'addAccount',
        {
          body: { bank_code: valid.bankCode, account_number: valid.accountNumber, holder_name: valid.holderName, login_id: valid.loginId, password: valid.password },
          idempotency: 'money',
        },
        addAccountAnswerSchema,
      );
      const wire = answer.data.data;
      return {
        data: { id: wire.id, bankCode: wire.bank_code, accountNumber: wire.account_number, holderName: wire.holder_name ?? null, balance: wire.balance ?? null, active: wire.active ?? true },
        raw: answer.raw,
      };
    },
    /** Step 1: the provider logs in to the bank, which sends an OTP by SMS. Some banks may answer `done` at once. */
    requestOtp: (login: BankLogin) => connect({ action: 'request_otp', ...loginFields(login) }),
    /** Step 2: the same login plus the 6-digit OTP. */
    verifyOtp(login: BankLogin & { otp: string }): Promise<Answer<ConnectResult>> {
      const otp = z.string().regex(/^\d{6}$/, 'the OTP is 6 digits').parse(login.otp);
      return connect({ action: 'verify_otp', ...loginFields(login), otp });
    },
  };
}
