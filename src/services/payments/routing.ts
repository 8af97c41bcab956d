// A merchant's routing rules (stored per direction and method, in order) and
// the plan for one payment: which routes can carry it, in which order, why.
// The choosing is src/domain/routing.ts; this reads what it needs.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { checkRules, chooseRoutes, routeIds, type CircuitView, type Direction, type PaymentMethod, type RouteId, type RouteRequest, type RoutingResult, type RoutingRule } from '../../domain/routing.js';
import { routeOffers, type RouteOffer } from '../../providers/routes.js';
import type { SandboxAccess } from '../provider-accounts.js';
import { ValidationError } from '../../errors/index.js';
import type { ProviderHealth } from './provider-health.js';

export interface RoutingPlan extends RoutingResult {
  /** The order each candidate becomes, by route. */
  offers: Map<RouteId, RouteOffer>;
}

export interface StoredRules {
  direction: Direction;
  method: PaymentMethod;
  rules: (RoutingRule & { position: number })[];
}

export class PaymentRouting {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly health: ProviderHealth,
    private readonly sandbox: () => SandboxAccess | undefined,
  ) {}

  /** Every list the merchant set, grouped by direction and method. */
  async rules(merchantId: string): Promise<StoredRules[]> {
    const rows = await this.prisma.routingRule.findMany({ where: { merchantId }, orderBy: [{ direction: 'asc' }, { method: 'asc' }, { position: 'asc' }] });
    const lists = new Map<string, StoredRules>();
    for (const row of rows) {
      const key = `${row.direction}:${row.method}`;
      if (!lists.has(key)) lists.set(key, { direction: row.direction as Direction, method: row.method as PaymentMethod, rules: [] });
      lists.get(key)!.rules.push({ route: row.route as RouteId, enabled: row.enabled, minAmount: row.minAmount, maxAmount: row.maxAmount, position: row.position });
    }
    return [...lists.values()];
  }

  /** Replaces the list for one direction and method (an empty list: back to the default order). Checked first: bad input changes nothing. */
  async setRules(merchantId: string, direction: Direction, method: PaymentMethod, rules: RoutingRule[]): Promise<StoredRules> {
    const problem = checkRules(routeOffers, direction, method, rules);
    if (problem) throw new ValidationError(problem.message, problem.field);
    await this.prisma.$transaction([
      this.prisma.routingRule.deleteMany({ where: { merchantId, direction, method } }),
      this.prisma.routingRule.createMany({
        data: rules.map((rule, position) => ({ merchantId, direction, method, position, route: rule.route, enabled: rule.enabled, minAmount: rule.minAmount ?? null, maxAmount: rule.maxAmount ?? null })),
      }),
    ]);
    return { direction, method, rules: rules.map((rule, position) => ({ ...rule, minAmount: rule.minAmount ?? null, maxAmount: rule.maxAmount ?? null, position })) };
  }

  /** Routes this merchant can use: an enabled account (or, for a sandbox merchant, the simulator's); its own active bank account for BANK_ACCOUNT. */
  private async configured(merchantId: string): Promise<Set<RouteId>> {
    const [merchant, accounts, bankAccount] = await Promise.all([
      this.prisma.merchant.findUniqueOrThrow({ where: { id: merchantId }, select: { sandbox: true } }),
      this.prisma.providerAccount.findMany({ where: { merchantId }, select: { provider: true, enabled: true } }),
      this.prisma.bankAccount.findFirst({ where: { merchantId, active: true }, select: { id: true } }),
    ]);
    const simulators = merchant.sandbox && this.sandbox() !== undefined;
    const usable = new Set<RouteId>();
    for (const route of routeIds) {
      if (route === 'BANK_ACCOUNT') {
        if (bankAccount) usable.add(route);
        continue;
      }
      const provider = routeOffers.find((offer) => offer.route === route)!.order.provider;
      const account = accounts.find((a) => a.provider === provider);
      if (account ? account.enabled : simulators) usable.add(route);
    }
    return usable;
  }

  async plan(merchantId: string, request: RouteRequest): Promise<RoutingPlan> {
    const [configured, rows] = await Promise.all([
      this.configured(merchantId),
      this.prisma.routingRule.findMany({ where: { merchantId, direction: request.direction, method: request.method }, orderBy: { position: 'asc' } }),
    ]);
    const circuits = new Map<RouteId, CircuitView>();
    for (const offer of routeOffers) if (offer.route !== 'BANK_ACCOUNT') circuits.set(offer.route, this.health.circuit(merchantId, offer.order.provider));
    const rules = rows.map((row) => ({ route: row.route as RouteId, enabled: row.enabled, minAmount: row.minAmount, maxAmount: row.maxAmount }));
    const result = chooseRoutes({ request, capabilities: routeOffers, rules, configured, circuits });
    const offers = new Map<RouteId, RouteOffer>();
    for (const offer of routeOffers) if (offer.direction === request.direction && offer.method === request.method) offers.set(offer.route, offer);
    return { ...result, offers };
  }
}
