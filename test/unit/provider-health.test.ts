// The provider accounts' circuit breaker (cockatiel) as createPayment sees it:
// failures (no usable answer) open it after the threshold, refusals do not
// count, an open circuit sends nothing, a trial call after the cool-down
// closes it again; each merchant's account has its own.
import { describe, expect, it } from 'vitest';
import { ProviderHealth } from '../../src/services/payments/provider-health.js';
import { CircuitOpenError } from '../../src/errors/index.js';
import { ProviderRefusedError, ProviderUnavailableError } from '../../src/errors/index.js';
import { until } from '../support/harness.js';

const unavailable = () => Promise.reject(new ProviderUnavailableError('VNKASH', 'timed out', true));
const refused = () => Promise.reject(new ProviderRefusedError('VNKASH', '4', 'below the minimum'));

describe('ProviderHealth', () => {
  it('opens after the threshold of consecutive failures (refusals reset the count), sends nothing while open, closes after a good trial call', async () => {
    const health = new ProviderHealth({ failureThreshold: 2, halfOpenAfterMs: 50 });
    await expect(health.run('m1', 'VNKASH', unavailable)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(health.run('m1', 'VNKASH', refused)).rejects.toBeInstanceOf(ProviderRefusedError);
    await expect(health.run('m1', 'VNKASH', unavailable)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(health.circuit('m1', 'VNKASH')).toBe('closed');
    await expect(health.run('m1', 'VNKASH', unavailable)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(health.circuit('m1', 'VNKASH')).toBe('open');
    expect(health.circuit('m2', 'VNKASH')).toBe('closed');

    let called = false;
    await expect(health.run('m1', 'VNKASH', async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    const [described] = health.describe('m1');
    expect(described).toMatchObject({ provider: 'VNKASH', circuit: 'open', consecutiveFailures: 2 });
    expect(described!.openUntil).toBeInstanceOf(Date);
    expect(described!.samples.map((s) => s.outcome)).toEqual(['failure', 'failure', 'refused', 'failure']);

    await until(async () => health.circuit('m1', 'VNKASH') === 'half-open', 5);
    expect(await health.run('m1', 'VNKASH', async () => 'created')).toBe('created');
    expect(health.circuit('m1', 'VNKASH')).toBe('closed');
    expect(health.describe('m1')[0]).toMatchObject({ circuit: 'closed', openUntil: null, consecutiveFailures: 0 });
  });

  it('records calls made outside the circuit (status queries, provider-specific creates) without moving it', async () => {
    const health = new ProviderHealth({ failureThreshold: 1, halfOpenAfterMs: 60_000 });
    await expect(health.observe('m', 'VNKASH', 'status', unavailable)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await health.observe('m', 'VNKASH', 'create', async () => 'ok')).toBe('ok');
    expect(health.circuit('m', 'VNKASH')).toBe('closed');
    expect(health.describe('m')[0]!.samples.map((s) => [s.operation, s.outcome])).toEqual([
      ['create', 'success'],
      ['status', 'failure'],
    ]);
  });

  it('re-opens when the trial call fails', async () => {
    const health = new ProviderHealth({ failureThreshold: 1, halfOpenAfterMs: 20 });
    await expect(health.run('m', 'AZCONNECTPAY', unavailable)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await until(async () => health.circuit('m', 'AZCONNECTPAY') === 'half-open', 5);
    await expect(health.run('m', 'AZCONNECTPAY', unavailable)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(health.circuit('m', 'AZCONNECTPAY')).toBe('open');
  });
});
