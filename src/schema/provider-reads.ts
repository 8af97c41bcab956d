// Provider reads exposed to merchants: bank lists, wallet balance, lookups.
import { builder, requireMerchant } from './builder.js';
import { parseInput } from '../validation/parse-input.js';
import { vnKashBankAccountNumber, vnKashUserAccount } from '../validation/settings-input.js';
import { vnKashBankPayments } from '../providers/vnkash/index.js';
import { ValidationError, ProviderAuthError, ProviderRefusedError, ProviderUnavailableError, ProviderNotConfiguredError } from '../errors/index.js';

const readErrors = [ProviderRefusedError, ProviderUnavailableError, ProviderAuthError, ProviderNotConfiguredError];

const Bank = builder.objectRef<{ code: string; name: string }>('Bank').implement({
  fields: (t) => ({ code: t.exposeString('code'), name: t.exposeString('name') }),
});

const BankList = builder.objectRef<{ banks: { code: string; name: string }[]; source: 'provider' | 'fallback'; reason?: string }>('BankList').implement({
  fields: (t) => ({
    banks: t.field({ type: [Bank], resolve: (list) => list.banks }),
    source: t.string({ description: 'PROVIDER when /banks answered; FALLBACK when the document’s appendix had to stand in.', resolve: (list) => list.source.toUpperCase() }),
  }),
});

builder.queryField('azConnectPayBanks', (t) =>
  t.field({
    type: BankList,
    description: 'Bank codes AZConnectPay accepts for cash-outs.',
    authScopes: { merchant: true },
    errors: { types: readErrors },
    resolve: (_root, _args, ctx) => ctx.services.providerReads.azConnectPayBanks(requireMerchant(ctx)),
  }),
);

const WalletBalance = builder.objectRef<{ code: string; name: string; balance: bigint }>('WalletBalance').implement({
  fields: (t) => ({
    currency: t.exposeString('code'),
    name: t.exposeString('name'),
    balance: t.field({ type: 'BigInt', resolve: (b) => b.balance }),
  }),
});

builder.queryField('vnKashBalance', (t) =>
  t.field({
    type: [WalletBalance],
    description: "The VNKash wallet's balance per currency.",
    authScopes: { merchant: true },
    errors: { types: readErrors },
    resolve: (_root, _args, ctx) => ctx.services.providerReads.vnKashBalance(requireMerchant(ctx)),
  }),
);

const NamedAccount = builder.objectRef<{ account: string; name: string; payment?: string }>('NamedAccount').implement({
  description: 'Who holds an account, as the provider knows it (check before paying out).',
  fields: (t) => ({
    account: t.exposeString('account'),
    name: t.exposeString('name'),
    payment: t.exposeString('payment', { nullable: true }),
  }),
});

builder.queryField('vnKashLookupName', (t) =>
  t.field({
    type: NamedAccount,
    description: 'The name of a VNKash user, by phone number or e-mail.',
    authScopes: { merchant: true },
    errors: { types: [...readErrors, ValidationError] },
    args: { account: t.arg.string({ required: true }) },
    resolve: (_root, { account }, ctx) => {
      return ctx.services.providerReads.vnKashLookupName(requireMerchant(ctx), parseInput(vnKashUserAccount, account));
    },
  }),
);

const VnKashBankPayment = builder.enumType('VnKashBankPayment', { values: vnKashBankPayments });

builder.queryField('vnKashLookupBankAccount', (t) =>
  t.field({
    type: NamedAccount,
    description: 'The holder of a bank account or card, through VNKash.',
    authScopes: { merchant: true },
    errors: { types: [...readErrors, ValidationError] },
    args: { payment: t.arg({ type: VnKashBankPayment, required: true }), account: t.arg.string({ required: true }) },
    resolve: (_root, { payment, account }, ctx) => {
      return ctx.services.providerReads.vnKashLookupBankAccount(requireMerchant(ctx), payment, parseInput(vnKashBankAccountNumber, account));
    },
  }),
);
