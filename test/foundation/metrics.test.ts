// /metrics in Prometheus' text format, scraped after real traffic: every
// documented name is there, with bounded labels and no ids or secrets; and
// one access log line per request and per callback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createMerchant, logCollector, startTestApp, wsClient, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { channels } from '../../src/observability.js';

const TOKEN = 'metrics-token-0123456789';

describe('metrics and the access log', () => {
  const logs = logCollector();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN, LOG_LEVEL: 'info' }, logs.stream);
  });
  afterAll(() => t.stop());

  it('serves every documented metric to a scraper with the token, and nothing that identifies anyone', async () => {
    const workerPassed = new Promise<void>((resolve) => {
      const onPass = () => {
        unsubscribe(channels.workerPass.name, onPass);
        resolve();
      };
      subscribe(channels.workerPass.name, onPass);
    });
    const merchant = await createMerchant(t.app);
    const order = (await createCashIn(t.url, merchant.apiKey, { amount: '150000', idempotencyKey: 'metrics' })).data;
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
    await waitForStatus(t.app, order.id, ['SUCCEEDED']);
    const client = wsClient(t.url, merchant.apiKey);
    await new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.subscribe({ query: 'subscription { orderEvents { id } }' }, { next: () => {}, error: reject, complete: () => {} });
    });
    await workerPassed;

    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    await client.dispose();

    for (const sample of [
      'paygraph_http_request_duration_seconds_count{method="POST",route="/graphql",status="200"}',
      'paygraph_graphql_operation_duration_seconds_count{type="mutation",field="createCashIn",outcome="ok"}',
      'paygraph_provider_call_duration_seconds_count{provider="AZCONNECTPAY",operation="v2/cash-in",outcome="success"}',
      'paygraph_callbacks_total{route="azconnectpay",verdict="accepted"} 1',
      'paygraph_order_transitions_total{status="SUCCEEDED",cause="CALLBACK"} 1',
      'paygraph_review_queue_size{kind="order"} 0',
      'paygraph_review_queue_size{kind="card_charge"} 0',
      'paygraph_review_queue_size{kind="bank_transaction"} 0',
      'paygraph_worker_pass_duration_seconds_count{worker=',
      'paygraph_worker_lag_seconds{worker=',
      'paygraph_websocket_connections 1',
      'process_resident_memory_bytes',
    ]) {
      expect(text, sample).toContain(sample);
    }
    for (const identifying of [order.id, order.requestId, merchant.merchantId, merchant.apiKey]) expect(text).not.toContain(identifying);
  });

  it('writes one access line per request and per callback: method, route, status, duration, request id, and nothing secret', () => {
    const lines = logs.text().trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    expect(lines.find((line) => line.route === '/graphql')).toMatchObject({ level: 30, method: 'POST', status: 200, durationMs: expect.any(Number), requestId: expect.any(String) });
    expect(lines.find((line) => line.route === '/callbacks/azconnectpay')).toMatchObject({ level: 30, method: 'POST', status: 200, verdict: 'accepted', requestId: expect.any(String) });
    expect(logs.text()).not.toMatch(/pg_sk_/);
  });
});
