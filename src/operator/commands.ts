// The commands an operator runs against the data (`paygraph merchant create`,
// `provider set`, `secrets rotate`, `migrate`), as plain requests so that the
// same command runs in the CLI's own process or, when a server holds the PGlite
// directory, inside that server (socket.ts). Their answer is the text the CLI prints.
import { z } from 'zod';
import type { Database } from '../db/client.js';
import type { Merchants } from '../services/merchants.js';
import type { ProviderAccounts } from '../services/provider-accounts.js';
import { providerIds } from '../providers/types.js';

export const operatorRequestSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('merchant create'), name: z.string().trim().min(1).max(200), sandbox: z.boolean() }),
  z.object({
    command: z.literal('provider set'),
    merchantId: z.string().uuid('--merchant: expected a merchant id (a UUID, as `merchant create` printed it)'),
    provider: z.enum(providerIds, { message: `--provider: one of ${providerIds.join(', ')}` }),
    values: z.record(z.string()),
  }),
  z.object({ command: z.literal('secrets rotate') }),
  z.object({ command: z.literal('migrate') }),
]);

export type OperatorRequest = z.infer<typeof operatorRequestSchema>;

/** What the commands work on: a server's own services, or ones the CLI opened for itself (built on first use). */
export interface OperatorContext {
  db: Database;
  merchants(): Promise<Merchants>;
  providerAccounts(): Promise<ProviderAccounts>;
}

/** A refusal to print as is (bad input, unknown merchant), not a crash. */
export class OperatorCommandError extends Error {
  override readonly name = 'OperatorCommandError';
}

/** Checks a request built from command-line arguments (or received on the socket). */
export function parseOperatorRequest(request: unknown): OperatorRequest {
  const parsed = operatorRequestSchema.safeParse(request);
  if (!parsed.success) throw new OperatorCommandError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export async function runOperatorRequest(ctx: OperatorContext, request: OperatorRequest): Promise<string> {
  switch (request.command) {
    case 'merchant create': {
      const { merchant, apiKey } = await (await ctx.merchants()).create({ name: request.name, sandbox: request.sandbox });
      return `merchant ${merchant.id} (${merchant.name}${merchant.sandbox ? ', sandbox' : ''})\nAPI key ${apiKey}\nThe key is shown this once: store it now.`;
    }
    case 'provider set': {
      const merchant = await ctx.db.prisma.merchant.findUnique({ where: { id: request.merchantId }, select: { id: true } });
      if (!merchant) throw new OperatorCommandError(`no merchant ${request.merchantId} in this database`);
      const accounts = await ctx.providerAccounts();
      try {
        await accounts.set(request.merchantId, request.provider, request.values);
      } catch (error) {
        // The provider's credential rules name the field: say it as it is.
        if ((error as Error).name === 'ValidationError') throw new OperatorCommandError(`${request.provider}: ${(error as Error).message}`);
        throw error;
      }
      const described = (await accounts.describe(request.merchantId)).find((account) => account.provider === request.provider);
      return JSON.stringify(described, null, 2);
    }
    case 'secrets rotate':
      return `re-sealed ${await (await ctx.providerAccounts()).reseal()} provider account(s) with the current SECRETS_KEY`;
    case 'migrate': {
      const { applyMigrations } = await import('../db/migrations.js');
      const applied = await applyMigrations(ctx.db);
      return applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date';
    }
  }
}

/** For logs: the command and whom it concerns, never its values (provider secrets). */
export function describeRequest(request: OperatorRequest): Record<string, unknown> {
  switch (request.command) {
    case 'provider set':
      return { command: request.command, merchantId: request.merchantId, provider: request.provider, fields: Object.keys(request.values) };
    case 'merchant create':
      return { command: request.command, sandbox: request.sandbox };
    default:
      return { command: request.command };
  }
}
