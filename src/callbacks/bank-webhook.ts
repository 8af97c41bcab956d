// The pipeline's bank part: API Ngân hàng's transaction.confirmed webhook.
// Whose it is: the merchant the URL names (`?merchant=`, set in the URL the
// merchant configures at API Ngân hàng), else the merchant of the
// bank-transfer order whose code it names (our codes are unique). Verified
// with that merchant's webhook secret; its signature covers
// order_code|amount|trans_id|paid_at, so it is evidence as it stands: the
// inbox key is its trans_id (never the unsigned bank or account), and the
// line it reports is recorded once per trans_id and matched.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallbackRoute } from '../providers/registry.js';
import { transactionWebhookTemplate, type TransactionWebhookVerdict } from '../providers/apinganhang/index.js';
import type { InboundTemplate } from '../providers/types.js';
import { normalizeForMatching } from '../domain/payment-matching.js';
import type { BankProvider } from '../services/bank-provider.js';
import type { BankStatements } from '../services/bank-statements.js';
import type { CallbackInbox, InboxRow } from '../services/callback-inbox.js';
import { inboxEntry, type CallbackLookup, type InboundMessage, type Located, type TargetHandler } from './pipeline.js';
import { BankProviderNotConfiguredError } from '../errors/index.js';

/** A merchant with no webhook secret cannot have sent a verifiable webhook: every message is refused. */
const noSecret: InboundTemplate<TransactionWebhookVerdict> = {
  ...transactionWebhookTemplate(''),
  verifyCallback: () => ({ ok: false, reason: 'bad-signature', detail: 'no webhook secret configured' }),
};

export class BankWebhook implements TargetHandler<{ merchantId: string }, TransactionWebhookVerdict> {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly provider: BankProvider,
    private readonly statements: BankStatements,
    private readonly inbox: CallbackInbox,
  ) {}

  async locate(_route: CallbackRoute, lookup: CallbackLookup, scope: { merchantId?: string }): Promise<Located<{ merchantId: string }, TransactionWebhookVerdict> | null> {
    const merchantId = await this.merchantOf(lookup, scope);
    if (!merchantId) return null;
    return { merchantId, subject: { merchantId }, template: await this.templateFor(merchantId) };
  }

  private async merchantOf(lookup: CallbackLookup, scope: { merchantId?: string }): Promise<string | null> {
    if (scope.merchantId) {
      const merchant = await this.prisma.merchant.findUnique({ where: { id: scope.merchantId }, select: { id: true } });
      return merchant?.id ?? null;
    }
    const code = lookup.requestId;
    if (!code) return null;
    const order = await this.prisma.order.findFirst({ where: { kind: 'BANK_TRANSFER', requestId: { in: [...new Set([code, normalizeForMatching(code)])] } }, select: { merchantId: true } });
    return order?.merchantId ?? null;
  }

  private async templateFor(merchantId: string): Promise<InboundTemplate<TransactionWebhookVerdict>> {
    const secret = await this.provider.credentials(merchantId).then(
      (credentials) => credentials.webhookSecret,
      (error: Error) => (error instanceof BankProviderNotConfiguredError ? undefined : Promise.reject(error)),
    );
    return secret ? transactionWebhookTemplate(secret) : noSecret;
  }

  async process(located: Located<{ merchantId: string }, TransactionWebhookVerdict>, verdict: Extract<TransactionWebhookVerdict, { ok: true }>, message: InboundMessage) {
    const { merchantId } = located;
    const opening = await this.inbox.open(inboxEntry(message, merchantId, verdict.eventKey));
    if (opening.kind === 'duplicate') {
      message.log.info({ eventKey: verdict.eventKey }, 'duplicate transaction webhook; already recorded');
      return located.template.acknowledge();
    }
    try {
      await this.statements.recordWebhook(merchantId, verdict.transaction, message.actor);
      await this.inbox.finish(opening.id, 'PROCESSED');
    } catch (error) {
      // Recorded: the worker records the line again from the stored message (lines are unique per trans_id).
      message.log.warn({ err: (error as Error).message }, 'transaction webhook recorded but not applied yet; will retry');
      await this.inbox.fail(opening.id, error, opening.attempts);
    }
    return located.template.acknowledge();
  }

  /** The retry worker's part: the stored message, verified again with the merchant's secret, recorded again. */
  async retry(row: InboxRow) {
    if (!row.merchantId) return;
    const template = await this.templateFor(row.merchantId);
    const verdict = template.verifyCallback({ method: 'POST', url: new URL('http://callback.local/callbacks/apinganhang'), headers: { 'content-type': 'application/json' }, rawBody: row.body, sourceIp: '' });
    if (!verdict.ok) throw new Error(`the stored webhook no longer verifies: ${verdict.detail}`);
    await this.statements.recordWebhook(row.merchantId, verdict.transaction, 'worker:callback-retry');
  }
}
