// The contract between the order services and the provider connectors.
// Only these unified types leave a provider's folder.
import type { ProviderReportedStatus } from '../domain/order-status.js';

// The provider ids and order kinds are domain facts; the contract re-exports them for the connectors.
export { providerIds, orderKinds, directionOf, type ProviderId, type OrderKind } from '../domain/order-kind.js';
import type { OrderKind, ProviderId } from '../domain/order-kind.js';

/**
 * What a provider says about one order right now, as its documents read it.
 * `status` is null when the provider's value is not one we know: the raw value
 * is kept and the order stays where it is (never guessed). What a report does
 * to an order is decided in domain/decision-policy.ts.
 */
export interface StatusReport {
  status: ProviderReportedStatus | null;
  /**
   * The provider's documents show this value. Only a documented failure is a
   * refusal; an undocumented failure word never fails money going out.
   */
  documented?: boolean;
  /** The provider positively says it has no such order (its documented "not found" answer); `status` is null. */
  notFound?: boolean;
  /** The provider's own value, verbatim ("SUCCESS", "99", "DEPOSIT" …). */
  rawStatus: string;
  /** What the provider says actually moved, when it says. */
  amount?: bigint;
  fee?: bigint;
  providerReference?: string;
  /** The parsed provider payload, stored on the order event (secrets removed). */
  raw: unknown;
}

/** What a checkout shows a payer. Every field optional: each provider fills what it has. */
export interface PaymentInstructions {
  bankCode?: string;
  bankName?: string;
  accountNumber?: string;
  accountName?: string;
  amount?: bigint;
  transferContent?: string;
  qrData?: string;
  /** A data: URL or https URL of a QR image. */
  qrImage?: string;
  deepLink?: string;
  phone?: string;
  payUrl?: string;
  expiresAt?: Date;
}

export interface Payee {
  accountNumber: string;
  accountName: string;
  /** Bank code in the provider's own vocabulary (VCB, MOMO, ACB, CARD …). */
  bankCode: string;
}

export interface CreateOrderInput {
  kind: OrderKind;
  /** Ours, unique, sent to the provider; the key for status queries. */
  requestId: string;
  amount: bigint;
  /** bank | momo (AZConnectPay), channel (WowPay), payment code (VNKash) … */
  method?: string;
  /** sharkpay | wowpay, for Payment Hub orders. */
  gateway?: 'sharkpay' | 'wowpay';
  payee?: Payee;
  /** Subject / memo / transfer content where the provider takes one. */
  description?: string;
  /** Where the provider should call us back for this order. */
  callbackUrl: string;
  /** The payer's IP, for providers that check it. */
  clientIp?: string;
}

export interface CreateOrderResult {
  /** What the provider said at creation ("accepted", pending, or already final). */
  report: StatusReport;
  providerReference?: string;
  instructions?: PaymentInstructions;
  fee?: bigint;
}

export interface OrderRef {
  kind: OrderKind;
  requestId: string;
  providerReference?: string | null;
  gateway?: 'sharkpay' | 'wowpay' | null;
  amount: bigint;
  createdAt: Date;
  /** The transfer content the provider gave the payer at creation (VNKash's deposit description holds the batch its history rows carry). */
  transferContent?: string;
}

/** An HTTP request as our callback route received it. */
export interface InboundCallback {
  method: string;
  /** Full URL, query string included. */
  url: URL;
  headers: Record<string, string>;
  /** The body exactly as received (signatures are over bytes, not parsed objects). */
  rawBody: string;
  sourceIp: string;
}

/** What a connector reads out of a callback before anything is trusted. */
export interface ParsedCallback {
  /**
   * Unique per provider event, for the inbox, built only from fields the
   * signature covers (a replay with an unsigned field changed is the same
   * event). Used when `statusIsSigned`; a report confirmed by a status query is
   * keyed on what the query said instead.
   */
  eventKey: string;
  /** How to find our order. */
  lookup: { requestId?: string; providerReference?: string };
  report: StatusReport;
  /**
   * True when the signature covers the status and the amount, so the report can
   * be applied as is. False (unsigned, or signed over other fields): confirm by
   * a status query before any final state.
   */
  statusIsSigned: boolean;
}

/** A reply in the shape the provider expects. */
export interface CallbackReply {
  status: number;
  contentType: string;
  body: string;
}

export type CallbackVerdict =
  | { ok: true; callback: ParsedCallback }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'source-ip' | 'method'; detail: string };

/** What the pipeline knows about the message's subject when it verifies (some providers sign by kind). */
export interface InboundContext {
  kind?: OrderKind;
}

/**
 * A provider's part in the one inbound pipeline (src/callbacks/pipeline.ts),
 * as hyperswitch's IncomingWebhook: how its messages are verified with the
 * account's secrets and answered. Locating (CallbackRoute.locate) comes first,
 * from untrusted fields; verifying is pure (no I/O) and constant-time.
 */
export interface InboundTemplate<Verdict extends { ok: boolean } = CallbackVerdict> {
  verifyCallback(callback: InboundCallback, context?: InboundContext): Verdict;
  /** The reply once the message is recorded (OK, {"received":true} …). */
  acknowledge(): CallbackReply;
  /** The reply to a message whose signature or source is wrong (403 INVALID_SIGN …). */
  reject(verdict: Extract<Verdict, { ok: false }>): CallbackReply;
}

/**
 * Everything the order services need from one provider. A connector module
 * exports one of these (built from its credentials); an operation it lacks
 * throws ProviderNotSupportedError.
 */
export interface OrderConnector extends InboundTemplate {
  readonly provider: ProviderId;
  readonly kinds: readonly OrderKind[];
  /**
   * Checks an input against the provider's own rules (minimums, channels,
   * payee fields) before anything is written or sent. Returns the problem, or null.
   */
  validate?(input: CreateOrderInput): { field: string; message: string } | null;
  create(input: CreateOrderInput): Promise<CreateOrderResult>;
  queryStatus(order: OrderRef): Promise<StatusReport>;
  cancel?(order: OrderRef): Promise<StatusReport>;
}

/**
 * Reads the lookup keys (request id, provider reference) out of an untrusted
 * callback, so the route can find the order, and so the merchant whose secret
 * verifies it. Nothing here is trusted until verifyCallback says so.
 */
export type CallbackLocator = (callback: InboundCallback) => { requestId?: string; providerReference?: string } | null;
