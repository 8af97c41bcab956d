// Unsigned callbacks are hints: at most one status query per subject at a
// time (the others share its answer), and a rate limit per route and source.
import { describe, expect, it } from 'vitest';
import { HintGate } from '../../src/callbacks/hint-gate.js';
import { createMemoryRateLimiter } from '../../src/http/rate-limit.js';

describe('the hint gate', () => {
  it('runs one query per subject at a time; hints arriving meanwhile share its answer', async () => {
    const gate = new HintGate(createMemoryRateLimiter(), { limit: 0, windowMs: 60_000 });
    let queries = 0;
    let answer!: (value: string) => void;
    const query = () => {
      queries++;
      return new Promise<string>((resolve) => (answer = resolve));
    };
    const hints = [gate.once('order:1', query), gate.once('order:1', query), gate.once('order:1', query)];
    const other = gate.once('order:2', async () => 'other');
    answer('PENDING');
    const results = await Promise.all(hints);
    expect(queries).toBe(1);
    expect(results.map((r) => [r.result, r.shared])).toEqual([
      ['PENDING', false],
      ['PENDING', true],
      ['PENDING', true],
    ]);
    expect((await other).result).toBe('other');
    // Once answered, the next hint asks again.
    await gate.once('order:1', async () => 'SUCCESS');
    expect(queries).toBe(1);
  });

  it('shares a failed query as a failure, and lets the next hint ask again', async () => {
    const gate = new HintGate(createMemoryRateLimiter(), { limit: 0, windowMs: 60_000 });
    await expect(gate.once('order:1', async () => Promise.reject(new Error('unreachable')))).rejects.toThrow('unreachable');
    await expect(gate.once('order:1', async () => 'PENDING')).resolves.toEqual({ result: 'PENDING', shared: false });
  });

  it('admits a limited number of hints per route and source, each counted apart', async () => {
    let now = 0;
    const gate = new HintGate(createMemoryRateLimiter(() => now), { limit: 2, windowMs: 60_000 });
    const admitted = async (route: string, ip: string) => (await gate.admit(route, ip)).allowed;
    expect([await admitted('vnkash', '10.0.0.1'), await admitted('vnkash', '10.0.0.1'), await admitted('vnkash', '10.0.0.1')]).toEqual([true, true, false]);
    expect(await admitted('vnkash', '10.0.0.2')).toBe(true);
    expect(await admitted('azconnectpay', '10.0.0.1')).toBe(true);
    now = 60_000;
    expect(await admitted('vnkash', '10.0.0.1')).toBe(true);
  });
});
