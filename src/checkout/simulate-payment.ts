// The checkout page's "simulate payment" button, for sandbox merchants: the
// server asks the in-process simulator, over its HTTP control route, to settle
// the order as if the payer had paid; the simulator then calls us back like the
// real provider would. The browser never talks to the simulator itself.
import type { RunningSandbox } from '../sandbox/server.js';

export type SimulatedOutcome = 'succeed' | 'fail';

export interface SimulatableOrder {
  provider: string;
  kind: string;
  requestId: string;
  providerReference: string | null;
  gateway: string | null;
}

export class SimulationRefusedError extends Error {
  override readonly name = 'SimulationRefusedError';
  constructor(message: string, readonly httpStatus: number) {
    super(message);
  }
}

/** The simulator and control-route body that settle this order, or null when no simulator can pay it. */
export function settleRequestFor(order: SimulatableOrder, outcome: SimulatedOutcome): { simulator: string; body: Record<string, unknown> } | null {
  if (order.provider === 'AZCONNECTPAY' && order.kind === 'CASH_IN') {
    return { simulator: 'azconnectpay', body: { kind: 'cash-in', request_id: order.requestId, outcome, callback: 'once' } };
  }
  if (order.provider === 'APINGANHANG' && order.kind === 'HUB_PAYIN' && order.gateway) {
    return { simulator: 'apinganhang', body: { merchant_order_no: order.requestId, gateway: order.gateway, outcome, callback: 'once' } };
  }
  if (order.provider === 'VNKASH' && order.kind === 'DEPOSIT' && order.providerReference && /^\d+$/.test(order.providerReference)) {
    return { simulator: 'vnkash', body: { kind: 'deposit', id: Number(order.providerReference), outcome, callback: 'once' } };
  }
  return null;
}

export async function simulatePayment(sandbox: RunningSandbox, order: SimulatableOrder, outcome: SimulatedOutcome): Promise<void> {
  const request = settleRequestFor(order, outcome);
  if (!request) throw new SimulationRefusedError(`the sandbox cannot pay a ${order.provider} ${order.kind} order from the checkout`, 409);
  const response = await fetch(`${sandbox.baseUrl(request.simulator)}/_sandbox/settle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request.body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    // The simulators' messages are about sandbox state ("already settled"), never secrets.
    const text = await response.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (typeof parsed.error === 'string') message = parsed.error;
    } catch {
      // not JSON: keep the text
    }
    throw new SimulationRefusedError(`the simulator refused: ${message.slice(0, 200)}`, 409);
  }
}
