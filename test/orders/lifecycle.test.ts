// The parts of an order's life that are not a provider's doing: expiry,
// cancelling our own bank-transfer orders, and following an order over SSE.
import { describe, expect, it } from 'vitest';
import { gql } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, orderFromDb, sandboxControl, waitForStatus } from '../support/orders.js';
import { newOrder } from '../bank/support.js';

describe('an order’s lifecycle', () => {
  const { t, merchant } = useTestApp({ POLL_INTERVAL_MS: '200', STATEMENT_IMPORT_INTERVAL_MS: '3600000' });

  it('expires a cash-in nobody paid once its time is up, after the provider confirms it is unpaid', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '111000', idempotencyKey: 'expire-me' });
    // Its expiry has come (as if thirty minutes had passed).
    await t.app.db.prisma.order.update({ where: { id: order.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await waitForStatus(t.app, order.id, ['EXPIRED'])).toBe('EXPIRED');
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'EXPIRED', cause: 'EXPIRY', actor: 'worker:poller' });
  });

  it('does not expire an order the payer paid just before its time was up', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '112000', idempotencyKey: 'paid-late' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
    await t.app.db.prisma.order.update({ where: { id: order.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await waitForStatus(t.app, order.id, ['SUCCEEDED', 'EXPIRED'])).toBe('SUCCEEDED');
  });

  it('cancels an unpaid bank-transfer order; cancelling again changes nothing', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '250000', 'cancel-bt');
    const cancel = `mutation($id: ID!) { cancelOrder(id: $id) { __typename ... on MutationCancelOrderSuccess { data { status events { toStatus cause } } } ... on ValidationError { message } } }`;
    const first = await gql(t.url, cancel, { id: order.id }, merchant.apiKey);
    expect(first.data.cancelOrder.data.status).toBe('CANCELLED');
    expect(first.data.cancelOrder.data.events.at(-1)).toEqual({ toStatus: 'CANCELLED', cause: 'MANUAL' });
    const second = await gql(t.url, cancel, { id: order.id }, merchant.apiKey);
    expect(second.data.cancelOrder.data.events.filter((e: { toStatus: string }) => e.toStatus === 'CANCELLED')).toHaveLength(1);
  });

  it('streams an order’s changes over Server-Sent Events too', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '113000', idempotencyKey: 'sse' });
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${merchant.apiKey}` },
      body: JSON.stringify({ query: 'subscription($id: ID!) { orderUpdated(id: $id) { status } }', variables: { id: order.id } }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const statuses: string[] = [];
    let buffer = '';
    while (!statuses.includes('SUCCEEDED')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (const match of buffer.matchAll(/^data: (.+)$/gm)) {
        const status = JSON.parse(match[1]!).data?.orderUpdated?.status;
        if (status && !statuses.includes(status)) {
          statuses.push(status);
          if (status === 'PENDING') await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
        }
      }
    }
    await reader.cancel();
    expect(statuses).toEqual(['PENDING', 'SUCCEEDED']);
  });
});
