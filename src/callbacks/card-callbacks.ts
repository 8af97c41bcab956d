// The pipeline's card part. callback_sign covers only partner key, code and
// serial: a verified callback proves who sent it, not what it says. So a
// callback is judged first (ids, forward-only, figures: providers/card/judge.ts);
// where the provider answers command=check, the claim is a hint confirmed by
// check (rate-limited, one check per charge at a time) and the inbox is keyed
// on what the check said; a claim the judge refuses and the check does not
// bear out is kept as a trace row with the reason. Without check the callback
// is the only word there is: it is applied as it stands (the judge and the
// decision table still refuse anything backwards) and keyed on what it says.
import { createHash } from 'node:crypto';
import type { CardCharge, PrismaClient } from '../generated/prisma/client.js';
import type { CallbackRoute } from '../providers/registry.js';
import { judgeCardCallback, type CardCallbackVerdict, type CardChargeReport, type CardConnector } from '../providers/card/index.js';
import type { CallbackInbox, InboxRow } from '../services/callback-inbox.js';
import { CARD_POLLER_ACTOR, type CardCharges } from '../services/card-charges.js';
import type { CardApplyOutcome } from '../services/card-charge-transitions.js';
import { judgeStateOf, replayConflict } from '../services/card-charge-outcome.js';
import type { HintGate } from './hint-gate.js';
import { inboxEntry, reply, type CallbackLookup, type InboundMessage, type Located, type TargetHandler } from './pipeline.js';

const keyPrefix = (requestId: string) => `card:${requestId}:`;

/** The key of a check's answer: the same confirmed state is one event, whatever the callbacks claimed. */
const confirmedKey = (charge: CardCharge, report: CardChargeReport) => `${keyPrefix(charge.requestId)}${report.transId ?? charge.transId ?? ''}:${report.providerStatus}:${report.amount ?? ''}`;
/** The key of a callback without check to confirm it: all it says (the judge keeps a replay from doing anything twice). */
const claimKey = (charge: CardCharge, report: CardChargeReport) =>
  `${keyPrefix(charge.requestId)}${report.transId ?? ''}:${report.providerStatus}:${report.chargedValue ?? ''}:${report.realValue ?? ''}:${report.amount ?? ''}`;
/** A refused claim's trace: one row per distinct (masked) message. */
const traceKey = (charge: CardCharge, masked: string) => `${keyPrefix(charge.requestId)}claim:${createHash('sha256').update(masked).digest('hex').slice(0, 32)}`;

const inboxStatusOf = (outcome: CardApplyOutcome): 'PROCESSED' | 'IGNORED' => (outcome.kind === 'applied' || outcome.kind === 'recorded' ? 'PROCESSED' : 'IGNORED');
const noteOf = (outcome: CardApplyOutcome) => (outcome.kind === 'rejected' ? `${outcome.reason}: ${outcome.detail}` : outcome.kind === 'unchanged' ? outcome.reason : null);

export class CardCallbacks implements TargetHandler<CardCharge, CardCallbackVerdict> {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cardCharges: CardCharges,
    private readonly inbox: CallbackInbox,
    private readonly gate: HintGate,
  ) {}

  /** request_id is ours and unique; when the URL names a merchant, the charge must be that merchant's. */
  async locate(_route: CallbackRoute, lookup: CallbackLookup, scope: { merchantId?: string }): Promise<Located<CardCharge, CardCallbackVerdict> | null> {
    if (!lookup.requestId) return null;
    const charge = await this.prisma.cardCharge.findUnique({ where: { requestId: lookup.requestId } });
    if (!charge || (scope.merchantId && charge.merchantId !== scope.merchantId)) return null;
    return { merchantId: charge.merchantId, subject: charge, template: await this.cardCharges.connector(charge.merchantId) };
  }

  async process(located: Located<CardCharge, CardCallbackVerdict>, verdict: Extract<CardCallbackVerdict, { ok: true }>, message: InboundMessage) {
    const charge = located.subject;
    const connector = located.template as CardConnector;
    const claim = verdict.report;
    // The raw request holds the card in clear: the inbox keeps the parsed payload, masked.
    const entry = (eventKey: string) => inboxEntry(message, charge.merchantId, eventKey, { body: JSON.stringify(claim.raw) });
    const judgement = judgeCardCallback(judgeStateOf(charge), claim, { checkEnabled: connector.checkEnabled, source: 'callback' });
    // What we recorded, said again with other figures: a replay (the sign still matches), refused.
    const conflict = judgement.decision === 'ignore' && judgement.reason === 'duplicate' ? replayConflict(charge, claim) : null;
    const refusal = judgement.decision === 'reject' ? `${judgement.reason}: ${judgement.detail}` : conflict ? `replayed-with-other-values: ${conflict}` : null;

    if (judgement.decision === 'reject' && (judgement.reason === 'request-id-mismatch' || judgement.reason === 'trans-id-mismatch')) {
      message.log.warn({ cardChargeId: charge.id, reason: judgement.reason }, 'card callback about another charge; recorded, nothing applied');
      await this.inbox.trace(entry(traceKey(charge, JSON.stringify(claim.raw))), 'IGNORED', refusal!);
      return connector.acknowledge();
    }
    if (judgement.decision === 'ignore' && judgement.reason === 'duplicate' && !conflict) {
      // Says what we recorded already: the first one's row is its trace.
      return connector.acknowledge();
    }

    if (!connector.checkEnabled) {
      // The callback is the only word: applied as it stands, keyed on all it says.
      const opening = await this.inbox.open(entry(claimKey(charge, claim)));
      if (opening.kind === 'duplicate') return connector.acknowledge();
      try {
        const outcome = await this.cardCharges.apply(charge, claim, this.cardCharges.openCard(charge), {
          cause: 'CALLBACK',
          actor: message.actor,
          source: 'callback',
          payload: claim.raw,
          note: 'callback (the provider has no check)',
          pastDeadline: this.cardCharges.pastDeadline(charge),
        });
        await this.inbox.finish(opening.id, inboxStatusOf(outcome), noteOf(outcome));
      } catch (error) {
        await this.inbox.fail(opening.id, error, opening.attempts);
      }
      return connector.acknowledge();
    }

    // A hint: confirmed by check, within the limits.
    const admitted = await this.gate.admit(message.routeName, message.callback.sourceIp);
    if (!admitted.allowed) return reply(429, JSON.stringify({ status: false, message: `too many callbacks; retry in ${admitted.retryAfterSeconds} s` }), 'application/json; charset=utf-8');
    let confirmed: CardChargeReport;
    try {
      ({ result: confirmed } = await this.gate.once(`card:${charge.id}`, () => this.cardCharges.check(charge, connector)));
    } catch (error) {
      message.log.warn({ cardChargeId: charge.id, err: (error as Error).message }, 'card callback received, but check could not confirm it yet; will retry');
      await this.inbox.scheduleRetry(entry(`${keyPrefix(charge.requestId)}unconfirmed`), error);
      // The poller checks it soon as well.
      await this.prisma.cardCharge.updateMany({ where: { id: charge.id, status: 'PENDING' }, data: { nextPollAt: new Date() } });
      return connector.acknowledge();
    }
    const opening = await this.inbox.open(entry(confirmedKey(charge, confirmed)));
    if (opening.kind === 'duplicate') {
      // The check says what is recorded already; a claim it does not bear out still leaves a trace.
      if (refusal) await this.inbox.trace(entry(traceKey(charge, JSON.stringify(claim.raw))), 'IGNORED', refusal);
      return connector.acknowledge();
    }
    try {
      const note =
        claim.providerStatus === confirmed.providerStatus ? 'callback confirmed by check' : `callback said status ${claim.providerStatus}; check says ${confirmed.providerStatus} (applied)`;
      const outcome = await this.cardCharges.apply(charge, confirmed, this.cardCharges.openCard(charge), {
        cause: 'CALLBACK',
        actor: message.actor,
        source: 'check',
        payload: { callback: claim.raw, check: confirmed.raw },
        note,
        pastDeadline: this.cardCharges.pastDeadline(charge),
      });
      const changed = outcome.kind === 'applied' || outcome.kind === 'recorded';
      // Nothing changed and the claim was refused: the row says why the claim was refused.
      await this.inbox.finish(opening.id, inboxStatusOf(outcome), !changed && refusal ? refusal : noteOf(outcome));
    } catch (error) {
      await this.inbox.fail(opening.id, error, opening.attempts);
    }
    return connector.acknowledge();
  }

  /** The retry worker's part: the charge is settled by checking it again. */
  async retry(row: InboxRow) {
    const charge = await this.prisma.cardCharge.findFirst({ where: { requestId: row.eventKey.slice('card:'.length).split(':')[0] } });
    if (!charge || charge.status !== 'PENDING') return;
    await this.cardCharges.pull(charge, await this.cardCharges.connector(charge.merchantId), { cause: 'CALLBACK', actor: CARD_POLLER_ACTOR, source: 'check', pastDeadline: this.cardCharges.pastDeadline(charge) });
  }
}
