// BANK_TRANSFER orders: the payer transfers to the merchant's own bank
// account with the order's transfer code in the description; the statement
// import matches the transfer (payment-matching.ts). Nothing is sent to a
// provider at creation, so the order is complete (submitted) at once. The
// transfer code is the order's requestId: unique by the database's index,
// found by it when a description names it.
import type { PrismaClient } from '../generated/prisma/client.js';
import { newTransferCode } from '../domain/payment-matching.js';
import { Idempotency } from './idempotency.js';
import { toJson } from './order-transitions.js';
import { NotFoundError, ValidationError, IdempotencyKeyReusedError } from '../errors/index.js';
import { isUniqueViolation } from '../errors/index.js';

export interface CreateBankTransferCommand {
  merchantId: string;
  actor: string;
  idempotencyKey: string;
  amount: bigint;
  bankAccountId: string;
  merchantReference?: string;
  description?: string;
  expiresInMinutes?: number;
}


export class BankTransferOrders {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly idempotency: Idempotency,
    private readonly options: { orderTtlMinutes: number; newCode?: () => string },
  ) {}

  async create(command: CreateBankTransferCommand): Promise<{ orderId: string }> {
    const { idempotencyKey, actor, merchantId, ...input } = command;
    const claim = await this.idempotency.claim(merchantId, idempotencyKey, 'create:BANK_TRANSFER', input);
    if (claim.kind === 'replay') {
      if (claim.result.kind === 'order') return { orderId: claim.result.orderId };
      // Not stored by this service (failures free the key), but a key shared with another operation could hold one.
      throw new IdempotencyKeyReusedError(idempotencyKey);
    }
    let orderId: string | undefined;
    try {
      const account = await this.prisma.bankAccount.findFirst({ where: { id: command.bankAccountId, merchantId } });
      if (!account) throw new NotFoundError('BankAccount', command.bankAccountId);
      if (!account.active) throw new ValidationError('bankAccountId: this account is no longer active at API Ngân hàng', 'bankAccountId');
      const expiresAt = new Date(Date.now() + (command.expiresInMinutes ?? this.options.orderTtlMinutes) * 60_000);
      for (let attempt = 0; ; attempt++) {
        const code = (this.options.newCode ?? newTransferCode)();
        try {
          const order = await this.prisma.$transaction(async (tx) => {
            const created = await tx.order.create({
              data: {
                merchantId,
                provider: 'APINGANHANG',
                kind: 'BANK_TRANSFER',
                method: 'bank',
                amount: command.amount,
                merchantReference: command.merchantReference,
                description: command.description,
                requestId: code,
                submitted: true,
                expiresAt,
                instructions: toJson({
                  bankCode: account.bankCode,
                  bankName: account.bankCode,
                  accountNumber: account.accountNumber,
                  accountName: account.holderName ?? undefined,
                  amount: command.amount,
                  transferContent: code,
                  expiresAt,
                }),
              },
            });
            await tx.orderEvent.create({ data: { orderId: created.id, merchantId, toStatus: 'PENDING', cause: 'API', actor, note: `created; waiting for a transfer with "${code}" to ${account.bankCode} ${account.accountNumber}` } });
            await tx.idempotencyKey.update({ where: { id: claim.recordId }, data: { orderId: created.id } });
            return created;
          });
          orderId = order.id;
          await this.idempotency.complete(claim.recordId, { kind: 'order', orderId: order.id }, order.id);
          return { orderId: order.id };
        } catch (error) {
          // Another order drew the same code (1 in ~10^11): draw again.
          if (isUniqueViolation(error) && attempt < 5) continue;
          throw error;
        }
      }
    } catch (error) {
      // Nothing was created: free the key so a corrected retry can use it. Once
      // the order exists the key stays linked to it (a retry gets that order).
      if (!orderId) await this.idempotency.release(claim.recordId);
      throw error;
    }
  }
}
