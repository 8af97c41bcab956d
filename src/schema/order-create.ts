// Creating an order through a provider: one mutation per kind, each with its
// input type. Every input is parsed once by its zod command schema
// (validation/order-input.ts); the resolver only turns it into the service's
// command.
import { z } from 'zod';
import { builder, requireMerchant, selection } from './builder.js';
import { GatewayEnum, providerWords } from './enums.js';
import { actorOf } from './actor.js';
import type { CreateOrderCommand } from '../services/orders.js';
import { vnKashBankPayments } from '../providers/vnkash/index.js';
import { azConnectPayMethods } from '../providers/azconnectpay/index.js';
import { hubGateways } from '../providers/apinganhang/index.js';
import { expiresInMinutes, payee, providerOrderFields, vnKashAccount } from '../validation/order-input.js';
import { parseInput } from '../validation/parse-input.js';
import {
  ConcurrentUpdateError,
  IdempotencyConflictError,
  IdempotencyKeyReusedError,
  ProviderAuthError,
  ProviderNotConfiguredError,
  ProviderNotSupportedError,
  ProviderRefusedError,
  ProviderUnavailableError,
  ValidationError,
} from '../errors/index.js';

const createErrors = [ValidationError, ProviderRefusedError, ProviderUnavailableError, ProviderNotSupportedError, ProviderAuthError, ProviderNotConfiguredError, IdempotencyKeyReusedError, IdempotencyConflictError, ConcurrentUpdateError];

const PayeeInput = builder.inputType('PayeeInput', {
  fields: (t) => ({
    accountNumber: t.string({ required: true, description: 'Bank account number, card number, or MoMo phone.' }),
    accountName: t.string({ required: true }),
    bankCode: t.string({ required: true, description: "In the provider's vocabulary (VCB, MOMO, ACB, CTG, CARD …)." }),
  }),
});

const commonFields = (t: PothosInputFieldBuilder) => ({
  amount: t.field({ type: 'BigInt', required: true, description: 'Whole đồng.' }),
  idempotencyKey: t.string({ required: true, description: 'Your key for this operation: retrying with it never creates a second order.' }),
  merchantReference: t.string({ required: false, description: 'Your own order number, searchable.' }),
  description: t.string({ required: false }),
});
type PothosInputFieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** AZConnectPay's methods, from the provider module; resolvers get 'bank' / 'momo'. */
const CashInMethod = builder.enumType('CashInMethod', { values: providerWords(azConnectPayMethods) });
const VnKashPayment = builder.enumType('VnKashPayment', { values: vnKashBankPayments });

const CreateCashInInput = builder.inputType('CreateCashInInput', {
  fields: (t) => ({
    ...commonFields(t),
    method: t.field({ type: CashInMethod, required: true }),
    expiresInMinutes: t.int({ required: false }),
  }),
});
const CreateCashOutInput = builder.inputType('CreateCashOutInput', {
  fields: (t) => ({ ...commonFields(t), method: t.field({ type: CashInMethod, required: true }), payee: t.field({ type: PayeeInput, required: true }) }),
});
const CreateHubPayinInput = builder.inputType('CreateHubPayinInput', {
  fields: (t) => ({
    ...commonFields(t),
    gateway: t.field({ type: GatewayEnum, required: true }),
    channel: t.string({ required: false, description: 'WowPay: momo, zalo, bankcard, bankcard_qr, bankcard_free.' }),
    payerIp: t.string({ required: false }),
    expiresInMinutes: t.int({ required: false }),
  }),
});
const CreateHubPayoutInput = builder.inputType('CreateHubPayoutInput', {
  fields: (t) => ({ ...commonFields(t), gateway: t.field({ type: GatewayEnum, required: true }), payee: t.field({ type: PayeeInput, required: true }) }),
});
const CreateVnKashDepositInput = builder.inputType('CreateVnKashDepositInput', {
  fields: (t) => ({ ...commonFields(t), payment: t.field({ type: VnKashPayment, required: true }), expiresInMinutes: t.int({ required: false }) }),
});
const CreateVnKashWithdrawalInput = builder.inputType('CreateVnKashWithdrawalInput', {
  fields: (t) => ({ ...commonFields(t), payee: t.field({ type: PayeeInput, required: true }) }),
});
const CreateVnKashTransferInput = builder.inputType('CreateVnKashTransferInput', {
  fields: (t) => ({ ...commonFields(t), account: t.string({ required: true, description: 'Phone number or e-mail of the VNKash user.' }) }),
});

// The command schemas, one per input type above (GraphQL has checked the types and enums; these check the values).
const cashInCommand = z.object({ ...providerOrderFields, method: z.enum(azConnectPayMethods), expiresInMinutes });
const cashOutCommand = z.object({ ...providerOrderFields, method: z.enum(azConnectPayMethods), payee });
const hubPayinCommand = z.object({ ...providerOrderFields, gateway: z.enum(hubGateways), channel: z.string().nullish(), payerIp: z.string().nullish(), expiresInMinutes });
const hubPayoutCommand = z.object({ ...providerOrderFields, gateway: z.enum(hubGateways), payee });
const vnKashDepositCommand = z.object({ ...providerOrderFields, payment: z.enum(vnKashBankPayments), expiresInMinutes });
const vnKashWithdrawalCommand = z.object({ ...providerOrderFields, payee });
const vnKashTransferCommand = z.object({ ...providerOrderFields, account: vnKashAccount });

type CommonCommand = z.output<z.ZodObject<typeof providerOrderFields>>;
type ProviderPart = Omit<CreateOrderCommand, 'merchantId' | 'actor' | 'idempotencyKey' | 'amount' | 'merchantReference' | 'description'>;

function defineCreate<Command extends z.ZodType<CommonCommand>>(
  name: string,
  description: string,
  inputType: Parameters<typeof builder.inputType>[0] extends string ? ReturnType<typeof builder.inputType> : never,
  command: Command,
  toCommand: (input: z.output<Command>) => ProviderPart,
) {
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: 'Order',
      description,
      authScopes: { merchant: true },
      errors: { types: createErrors },
      args: { input: t.arg({ type: inputType, required: true }) },
      resolve: async (query, _root, args, ctx) => {
        const input = parseInput(command, args.input);
        const { orderId } = await ctx.services.orders.create({
          merchantId: requireMerchant(ctx),
          actor: actorOf(ctx),
          idempotencyKey: input.idempotencyKey,
          amount: input.amount,
          merchantReference: input.merchantReference ?? undefined,
          description: input.description ?? undefined,
          ...toCommand(input),
        });
        return ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: orderId } });
      },
    }),
  );
}


defineCreate('createCashIn', 'Collect money through AZConnectPay (bank transfer or MoMo). The order carries the payment instructions.', CreateCashInInput as never, cashInCommand, (input) => ({
  provider: 'AZCONNECTPAY',
  kind: 'CASH_IN',
  method: input.method,
  expiresInMinutes: input.expiresInMinutes,
}));

defineCreate('createCashOut', 'Pay money out through AZConnectPay (bank or MoMo; at least 100 000 đồng).', CreateCashOutInput as never, cashOutCommand, (input) => ({
  provider: 'AZCONNECTPAY',
  kind: 'CASH_OUT',
  method: input.method,
  payee: input.payee,
}));

defineCreate('createHubPayin', 'Collect money through the API Ngân hàng Payment Hub (SharkPay or WowPay).', CreateHubPayinInput as never, hubPayinCommand, (input) => ({
  provider: 'APINGANHANG',
  kind: 'HUB_PAYIN',
  gateway: input.gateway,
  method: input.channel ?? undefined,
  clientIp: input.payerIp ?? undefined,
  expiresInMinutes: input.expiresInMinutes,
}));

defineCreate('createHubPayout', 'Pay money out through the API Ngân hàng Payment Hub.', CreateHubPayoutInput as never, hubPayoutCommand, (input) => ({
  provider: 'APINGANHANG',
  kind: 'HUB_PAYOUT',
  gateway: input.gateway,
  payee: input.payee,
}));

defineCreate('createVnKashDeposit', 'Collect money into the VNKash wallet by bank transfer.', CreateVnKashDepositInput as never, vnKashDepositCommand, (input) => ({
  provider: 'VNKASH',
  kind: 'DEPOSIT',
  method: input.payment,
  expiresInMinutes: input.expiresInMinutes,
}));

defineCreate('createVnKashWithdrawal', 'Withdraw from the VNKash wallet to a bank account or card.', CreateVnKashWithdrawalInput as never, vnKashWithdrawalCommand, (input) => ({
  provider: 'VNKASH',
  kind: 'WITHDRAWAL',
  payee: input.payee,
  method: input.payee.bankCode,
}));

defineCreate('createVnKashTransfer', 'Send money from the VNKash wallet to another VNKash user.', CreateVnKashTransferInput as never, vnKashTransferCommand, (input) => ({
  provider: 'VNKASH',
  kind: 'TRANSFER',
  payee: { accountNumber: input.account, accountName: input.account, bankCode: 'VNKASH' },
}));
