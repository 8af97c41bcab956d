// Routing: which of a merchant's providers may carry one payment or payout,
// in which order, and why each other one may not. Pure: what the providers
// can do (their capabilities, read from each provider's folder), what the
// merchant configured, its rules and the circuits' states all come in as data.

/** How the money moves, as a payer or payee sees it (the union of what the providers offer). */
export const paymentMethods = ['BANK_TRANSFER', 'MOMO', 'ZALOPAY', 'BANK_QR', 'BANK_CARD', 'GATEWAY_PAGE', 'VNKASH'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export type Direction = 'IN' | 'OUT';

/**
 * One way through one provider account: a provider, or one of the Payment
 * Hub's gateways, or the merchant's own bank account (statement matching).
 * The order of this list is the default order (see defaultRouteOrder).
 */
export const routeIds = ['AZCONNECTPAY', 'HUB_SHARKPAY', 'HUB_WOWPAY', 'VNKASH', 'BANK_ACCOUNT'] as const;
export type RouteId = (typeof routeIds)[number];

/** What a payout is sent to. */
export interface RoutePayee {
  accountNumber: string;
  accountName: string;
  bankCode: string;
}

/** What is being routed. */
export interface RouteRequest {
  direction: Direction;
  method: PaymentMethod;
  amount: bigint;
  payee?: RoutePayee;
  /** Only this route, when the merchant pins one. */
  pin?: RouteId;
}

/** One thing a route can do, as its provider's document says. */
export interface RouteCapability {
  route: RouteId;
  direction: Direction;
  method: PaymentMethod;
  /** The document's lowest amount for this operation, when it states one. */
  minimum?: bigint;
  /** The provider's own input rules (payee fields, bank lists …): the problem, or null. */
  check?(request: { amount: bigint; payee?: RoutePayee }): string | null;
}

/** A merchant's rule: one route, in a position, within optional bounds, on or off. */
export interface RoutingRule {
  route: RouteId;
  enabled: boolean;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
}

export type CircuitView = 'closed' | 'open' | 'half-open';

export interface RoutingInput {
  request: RouteRequest;
  capabilities: readonly RouteCapability[];
  /** The merchant's ordered rules for this direction and method; empty: the default order. */
  rules: readonly RoutingRule[];
  /** Routes the merchant can use (an account configured, or the sandbox's). */
  configured: ReadonlySet<RouteId>;
  /** The circuit of each route's provider account; missing: closed. */
  circuits?: ReadonlyMap<RouteId, CircuitView>;
}

export interface RouteDecision {
  route: RouteId;
  accepted: boolean;
  reason: string;
}

export interface RoutingResult {
  /** Accepted routes, to try in this order. */
  candidates: RouteId[];
  /** Every route considered, in order, with why it was accepted or not. */
  decisions: RouteDecision[];
  /** Where the order came from. */
  source: 'rules' | 'default' | 'pin';
}

/** The default order when a merchant set no rules: the order of routeIds (providers first, own bank account last: it confirms only by statement). */
export const defaultRouteOrder: readonly RouteId[] = routeIds;

export function capabilityOf(capabilities: readonly RouteCapability[], route: RouteId, direction: Direction, method: PaymentMethod) {
  return capabilities.find((c) => c.route === route && c.direction === direction && c.method === method);
}

/** The methods some route offers in a direction (for validation and documentation). */
export function methodsOffered(capabilities: readonly RouteCapability[], direction: Direction): PaymentMethod[] {
  return paymentMethods.filter((method) => capabilities.some((c) => c.direction === direction && c.method === method));
}

const dong = (amount: bigint) => `${amount.toLocaleString('en-US')} đồng`;

export function chooseRoutes(input: RoutingInput): RoutingResult {
  const { request, capabilities, rules, configured } = input;
  const pinned = request.pin !== undefined;
  const source: RoutingResult['source'] = pinned ? 'pin' : rules.length ? 'rules' : 'default';
  // Rules list every route the merchant wants, in order; without rules, every route in the default order.
  const listed: RoutingRule[] = pinned
    ? [rules.find((r) => r.route === request.pin) ?? { route: request.pin!, enabled: true }]
    : rules.length
      ? [...rules]
      : defaultRouteOrder.filter((route) => capabilityOf(capabilities, route, request.direction, request.method)).map((route) => ({ route, enabled: true }));
  const decisions: RouteDecision[] = [];
  const seen = new Set<RouteId>();
  for (const rule of listed) {
    if (seen.has(rule.route)) continue;
    seen.add(rule.route);
    const reject = (reason: string) => decisions.push({ route: rule.route, accepted: false, reason });
    const capability = capabilityOf(capabilities, rule.route, request.direction, request.method);
    if (!capability) {
      reject(`${rule.route} does not offer ${request.method} ${request.direction === 'IN' ? 'collection' : 'payouts'}`);
      continue;
    }
    if (!rule.enabled && !pinned) {
      reject('turned off in the routing rules');
      continue;
    }
    if (!configured.has(rule.route)) {
      reject('no account configured for this provider');
      continue;
    }
    if (capability.minimum !== undefined && request.amount < capability.minimum) {
      reject(`below the provider's documented minimum of ${dong(capability.minimum)}`);
      continue;
    }
    if (!pinned && rule.minAmount != null && request.amount < rule.minAmount) {
      reject(`below this rule's lower bound of ${dong(rule.minAmount)}`);
      continue;
    }
    if (!pinned && rule.maxAmount != null && request.amount > rule.maxAmount) {
      reject(`above this rule's upper bound of ${dong(rule.maxAmount)}`);
      continue;
    }
    const problem = capability.check?.({ amount: request.amount, payee: request.payee });
    if (problem) {
      reject(`the provider's rules refuse it: ${problem}`);
      continue;
    }
    if (input.circuits?.get(rule.route) === 'open') {
      reject('circuit open: the provider failed repeatedly; tried again after the cool-down');
      continue;
    }
    decisions.push({ route: rule.route, accepted: true, reason: pinned ? 'pinned by the request' : source === 'rules' ? 'allowed by the routing rules' : 'configured and supports the method (default order)' });
  }
  return { candidates: decisions.filter((d) => d.accepted).map((d) => d.route), decisions, source };
}

export type RulesProblem = { field: string; message: string };

/**
 * Checks a merchant's new list for one direction and method before anything
 * is stored: each route once, offering the method, bounds in order.
 */
export function checkRules(capabilities: readonly RouteCapability[], direction: Direction, method: PaymentMethod, rules: readonly RoutingRule[]): RulesProblem | null {
  if (!methodsOffered(capabilities, direction).includes(method)) return { field: 'method', message: `no provider offers ${method} ${direction === 'IN' ? 'collection' : 'payouts'}` };
  const seen = new Set<RouteId>();
  for (const [index, rule] of rules.entries()) {
    const field = `rules.${index}`;
    if (seen.has(rule.route)) return { field: `${field}.route`, message: `${rule.route} is listed twice` };
    seen.add(rule.route);
    if (!capabilityOf(capabilities, rule.route, direction, method)) return { field: `${field}.route`, message: `${rule.route} does not offer ${method} ${direction === 'IN' ? 'collection' : 'payouts'}` };
    if (rule.minAmount != null && rule.minAmount < 0n) return { field: `${field}.minAmount`, message: 'must not be negative' };
    if (rule.maxAmount != null && rule.maxAmount <= 0n) return { field: `${field}.maxAmount`, message: 'must be positive' };
    if (rule.minAmount != null && rule.maxAmount != null && rule.minAmount > rule.maxAmount) return { field: `${field}.maxAmount`, message: 'must not be below minAmount' };
  }
  return null;
}
