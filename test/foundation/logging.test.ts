import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCollector, startTestApp, type TestApp } from '../support/harness.js';
import { withRequestId } from '../../src/http/request-context.js';

describe('logs', () => {
  const logs = logCollector();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, logs.stream);
  });
  afterAll(() => t.stop());

  it('are JSON lines, and every line written while serving a request carries its id', async () => {
    const response = await fetch(`${t.url}/callbacks/azconnectpay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-log-42' },
      body: JSON.stringify({ request_id: 'PG-UNKNOWN', status: 'SUCCESS' }),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('req-log-42');
    const lines = logs.text().trim().split('\n').map((line) => JSON.parse(line));
    const line = lines.find((l) => l.msg === 'callback for an order we do not know');
    expect(line).toMatchObject({ requestId: 'req-log-42', route: 'azconnectpay', level: 40 });
  });

  it('redact credentials wherever they appear in a logged object', async () => {
    t.app.logger.info({ headers: { authorization: 'Bearer pg_sk_secret' }, account: { password: 'hunter2', secretKey: 'k' } }, 'probe');
    const probe = logs.text().trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.msg === 'probe');
    expect(JSON.stringify(probe)).not.toMatch(/pg_sk_secret|hunter2/);
    expect(probe.account.secretKey).toBe('[redacted]');
  });

  it('keep the HTTP request id when a logged object has a requestId of its own, and show Prisma error codes', () => {
    withRequestId('req-http-7', () => t.app.logger.warn({ requestId: 'PG-CARD-1', card: { code: '312345678901234' }, err: { code: 'P2002' } }, 'probe-ids'));
    const line = logs.text().trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.msg === 'probe-ids');
    expect(line).toMatchObject({ requestId: 'req-http-7', providerRequestId: 'PG-CARD-1', card: { code: '[redacted]' }, err: { code: 'P2002' } });
  });
});
