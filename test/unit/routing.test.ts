// The routing table on the providers' real capabilities (src/providers/*/routes.ts):
// default order, the merchant's rules, documented minimums and payee rules,
// open circuits, pins, and the validation of a new rule list.
import { describe, expect, it } from 'vitest';
import { checkRules, chooseRoutes, methodsOffered, routeIds, type RouteId, type RoutingInput } from '../../src/domain/routing.js';
import { routeOffers } from '../../src/providers/routes.js';

const everything = new Set<RouteId>(routeIds);
const route = (input: Partial<RoutingInput> & { request: RoutingInput['request'] }) => chooseRoutes({ capabilities: routeOffers, rules: [], configured: everything, ...input });
const bankPayee = { bankCode: 'VCB', accountNumber: '0123456789', accountName: 'NGUYEN VAN A' };

describe('chooseRoutes', () => {
  it('without rules, offers every configured route supporting the method, in the documented default order', () => {
    const result = route({ request: { direction: 'IN', method: 'BANK_TRANSFER', amount: 50_000n } });
    expect(result.source).toBe('default');
    expect(result.candidates).toEqual(['AZCONNECTPAY', 'VNKASH', 'BANK_ACCOUNT']);
    const momo = route({ request: { direction: 'IN', method: 'MOMO', amount: 50_000n }, configured: new Set<RouteId>(['HUB_WOWPAY', 'VNKASH']) });
    expect(momo.candidates).toEqual(['HUB_WOWPAY']);
    expect(momo.decisions).toContainEqual({ route: 'AZCONNECTPAY', accepted: false, reason: 'no account configured for this provider' });
  });

  it('follows the rules: order, on/off and amount bounds, each rejection with its reason', () => {
    const rules = [
      { route: 'VNKASH' as const, enabled: true, maxAmount: 1_000_000n },
      { route: 'AZCONNECTPAY' as const, enabled: false },
      { route: 'BANK_ACCOUNT' as const, enabled: true, minAmount: 10_000n },
    ];
    const small = route({ request: { direction: 'IN', method: 'BANK_TRANSFER', amount: 5_000n }, rules });
    expect(small.source).toBe('rules');
    expect(small.candidates).toEqual(['VNKASH']);
    expect(small.decisions.map((d) => [d.route, d.accepted])).toEqual([
      ['VNKASH', true],
      ['AZCONNECTPAY', false],
      ['BANK_ACCOUNT', false],
    ]);
    expect(small.decisions[1]!.reason).toMatch(/turned off/);
    expect(small.decisions[2]!.reason).toMatch(/lower bound of 10,000/);
    const large = route({ request: { direction: 'IN', method: 'BANK_TRANSFER', amount: 2_000_000n }, rules });
    expect(large.candidates).toEqual(['BANK_ACCOUNT']);
    expect(large.decisions[0]!.reason).toMatch(/upper bound of 1,000,000/);
  });

  it("applies each provider's documented minimum and payee rules to payouts", () => {
    const small = route({ request: { direction: 'OUT', method: 'BANK_TRANSFER', amount: 50_000n, payee: bankPayee } });
    expect(small.candidates).toEqual(['HUB_SHARKPAY', 'HUB_WOWPAY', 'VNKASH']);
    expect(small.decisions[0]).toMatchObject({ route: 'AZCONNECTPAY', accepted: false });
    expect(small.decisions[0]!.reason).toMatch(/documented minimum of 100,000/);
    // VNKash pays only the banks of its list (withdraw.json): a TCB account is not one.
    const tcb = route({ request: { direction: 'OUT', method: 'BANK_TRANSFER', amount: 200_000n, payee: { ...bankPayee, bankCode: 'TCB' } } });
    expect(tcb.candidates).toEqual(['AZCONNECTPAY', 'HUB_SHARKPAY', 'HUB_WOWPAY']);
    expect(tcb.decisions.find((d) => d.route === 'VNKASH')!.reason).toMatch(/payee.bankCode/);
    const momo = route({ request: { direction: 'OUT', method: 'MOMO', amount: 150_000n, payee: { bankCode: 'MOMO', accountNumber: '0901234567', accountName: 'TRAN B' } } });
    expect(momo.candidates).toEqual(['AZCONNECTPAY']);
  });

  it('skips a route whose circuit is open, and honours a pin even when the rules turned it off', () => {
    const open = route({ request: { direction: 'IN', method: 'BANK_TRANSFER', amount: 50_000n }, circuits: new Map([['AZCONNECTPAY', 'open']]) });
    expect(open.candidates).toEqual(['VNKASH', 'BANK_ACCOUNT']);
    expect(open.decisions[0]!.reason).toMatch(/circuit open/);
    const pinned = route({ request: { direction: 'IN', method: 'BANK_TRANSFER', amount: 50_000n, pin: 'AZCONNECTPAY' }, rules: [{ route: 'AZCONNECTPAY', enabled: false }] });
    expect(pinned).toMatchObject({ source: 'pin', candidates: ['AZCONNECTPAY'] });
    const wrongPin = route({ request: { direction: 'IN', method: 'ZALOPAY', amount: 50_000n, pin: 'AZCONNECTPAY' } });
    expect(wrongPin.candidates).toEqual([]);
    expect(wrongPin.decisions[0]!.reason).toMatch(/does not offer ZALOPAY/);
  });
});

describe('checkRules', () => {
  it('accepts a list of routes offering the method, and names the first problem otherwise', () => {
    expect(checkRules(routeOffers, 'IN', 'MOMO', [{ route: 'HUB_WOWPAY', enabled: true }, { route: 'AZCONNECTPAY', enabled: false }])).toBeNull();
    expect(checkRules(routeOffers, 'IN', 'MOMO', [{ route: 'VNKASH', enabled: true }])).toEqual({ field: 'rules.0.route', message: 'VNKASH does not offer MOMO collection' });
    expect(checkRules(routeOffers, 'IN', 'MOMO', [{ route: 'AZCONNECTPAY', enabled: true }, { route: 'AZCONNECTPAY', enabled: true }])?.field).toBe('rules.1.route');
    expect(checkRules(routeOffers, 'OUT', 'BANK_TRANSFER', [{ route: 'VNKASH', enabled: true, minAmount: 500n, maxAmount: 100n }])?.field).toBe('rules.0.maxAmount');
    expect(checkRules(routeOffers, 'OUT', 'ZALOPAY', [])?.field).toBe('method');
  });

  it('derives the methods from the providers: collection and payout methods differ', () => {
    expect(methodsOffered(routeOffers, 'IN')).toEqual(['BANK_TRANSFER', 'MOMO', 'ZALOPAY', 'BANK_QR', 'BANK_CARD', 'GATEWAY_PAGE']);
    expect(methodsOffered(routeOffers, 'OUT')).toEqual(['BANK_TRANSFER', 'MOMO', 'VNKASH']);
  });
});
