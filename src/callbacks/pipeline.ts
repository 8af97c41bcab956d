// The one inbound pipeline. Every provider message (order callbacks, card
// callbacks, the API Ngân hàng transaction webhook) takes the same steps:
//
//   locate → check the source → verify → record in the inbox → decide → answer
//
// - Locate: the route's provider reads the untrusted lookup keys; we find the
//   subject only within the merchant (so the provider account) the callback
//   URL names (`?merchant=`), never across merchants. Our own request ids are
//   unique, so old URLs without `merchant` still find orders by them; a lookup
//   by the provider's reference alone needs the merchant. Nothing of ours:
//   404, nothing stored.
// - Check the source against the account's allow-list, then verify with that
//   account's secrets (the provider's template, as hyperswitch's
//   IncomingWebhook: verify, acknowledge, reject). Refused: nothing stored.
// - Record: the inbox key is built from what the signature covers, or — for a
//   hint (unsigned, or a status the signature does not cover) — from what a
//   status query confirmed. A hint that changed nothing is keyed on the state
//   the provider confirmed, so it never consumes the key of a later message
//   that does change something; hints are rate-limited per route and source,
//   at most one status query per subject runs at a time, and a flood of them
//   writes at most one row per confirmed state.
// - Decide through the decision table (domain/decision-policy.ts), answer as
//   the provider expects. A row left RECEIVED by a dead process is retried.
//
// The per-target parts (what "find" and "decide" mean for an order, a card
// charge, a bank line) live beside this file; this file owns the order of the
// steps.
import type { CallbackRoute, CallbackTarget } from '../providers/registry.js';
import { callbackRouteNamed } from '../providers/registry.js';
import type { CallbackReply, InboundCallback, InboundContext, InboundTemplate, ProviderId } from '../providers/types.js';
import { isReference } from '../domain/text.js';
import type { Logger } from '../logger.js';
import type { InboxEntry } from '../services/callback-inbox.js';
import { CALLBACK_MERCHANT_PARAM } from '../services/callback-addresses.js';
import { isUuid } from '../domain/ids.js';

export const reply = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): CallbackReply => ({ status, contentType, body });

export interface CallbackLookup {
  requestId?: string;
  providerReference?: string;
}

/** The subject a message is about, found within the account it claims, and the account's template. */
export interface Located<S, V extends { ok: boolean }> {
  merchantId: string;
  subject: S;
  template: InboundTemplate<V>;
  context?: InboundContext;
}

/** Everything the per-target step needs to record and decide one verified message. */
export interface InboundMessage {
  routeName: string;
  route: CallbackRoute;
  callback: InboundCallback;
  /** callback:<route>@<ip> */
  actor: string;
  /** The message as stored in the inbox (the GET query, or the body). */
  stored: string;
  log: Logger;
}

export interface TargetHandler<S = any, V extends { ok: boolean } = any> {
  /** The subject named by `lookup` within the scope the URL names; null: not ours (404, nothing stored). */
  locate(route: CallbackRoute, lookup: CallbackLookup, scope: { merchantId?: string }): Promise<Located<S, V> | null>;
  /** Records and decides a verified message; returns the provider's expected answer. */
  process(located: Located<S, V>, verdict: Extract<V, { ok: true }>, message: InboundMessage): Promise<CallbackReply>;
}

export interface PipelineDeps {
  handlers: Record<CallbackTarget, TargetHandler>;
  callbackAllowList(merchantId: string, provider: ProviderId): Promise<string[] | null>;
  logger: Logger;
}

/** What an inbox row keeps of a message: a GET's query, else its body. */
export const storedMessage = (callback: InboundCallback) => (callback.method === 'GET' ? callback.url.search : callback.rawBody);

/** The inbox entry of a message about `subject`, under `eventKey`. */
export function inboxEntry(message: InboundMessage, merchantId: string, eventKey: string, extra: Partial<InboxEntry> = {}): InboxEntry {
  return {
    provider: message.route.provider,
    eventKey,
    merchantId,
    method: message.callback.method,
    sourceIp: message.callback.sourceIp,
    body: message.stored,
    ...extra,
  };
}

export class InboundPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async receive(routeName: string, callback: InboundCallback): Promise<CallbackReply> {
    const route = callbackRouteNamed(routeName);
    if (!route) return reply(404, 'unknown callback route');
    if (!route.methods.includes(callback.method as 'GET' | 'POST')) return reply(405, `use ${route.methods.join(' or ')}`);
    const log = this.deps.logger.child({ route: routeName, sourceIp: callback.sourceIp });

    // ---- locate, within the account the URL names ----
    const named = callback.url.searchParams.get(CALLBACK_MERCHANT_PARAM);
    if (named !== null && !isUuid(named)) {
      log.warn('callback URL names a malformed merchant; refused');
      return reply(400, 'malformed merchant');
    }
    const lookup = route.locate(callback) ?? {};
    if ([lookup.requestId, lookup.providerReference].some((ref) => ref !== undefined && !isReference(ref))) {
      log.warn('callback with a malformed reference; refused');
      return reply(400, 'malformed reference');
    }
    if (!lookup.requestId && !lookup.providerReference && !named) {
      log.warn('callback without any reference; refused');
      return reply(400, 'missing reference');
    }
    const handler = this.deps.handlers[route.target];
    const located = await handler.locate(route, lookup, named ? { merchantId: named.toLowerCase() } : {});
    if (!located) {
      // Nothing of ours to verify it against: log it, write nothing.
      log.warn({ lookup, merchant: named }, 'callback for an order we do not know');
      return reply(404, 'unknown order');
    }

    // ---- check the source, then verify with that account's secrets ----
    const allowed = await this.deps.callbackAllowList(located.merchantId, route.provider);
    if (allowed && !allowed.includes(callback.sourceIp)) {
      log.warn({ merchantId: located.merchantId }, 'callback from an address outside the allow-list; refused');
      return located.template.reject({ ok: false, reason: 'source-ip', detail: `${callback.sourceIp} is not an allowed callback source` } as never);
    }
    const verdict = located.template.verifyCallback(callback, located.context);
    if (!verdict.ok) {
      const refused = verdict as unknown as { reason: string; detail: string };
      log.warn({ merchantId: located.merchantId, reason: refused.reason, detail: refused.detail }, 'refused a callback');
      return located.template.reject(verdict as never);
    }

    // ---- record, decide, answer: the target's part ----
    return handler.process(located, verdict as never, {
      routeName,
      route,
      callback,
      actor: `callback:${routeName}@${callback.sourceIp}`,
      stored: storedMessage(callback),
      log: log.child({ merchantId: located.merchantId }),
    });
  }
}
