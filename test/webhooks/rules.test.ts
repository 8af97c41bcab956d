// The pure rules behind the feed and the webhooks: which events a change
// makes, cursors, the retry schedule, and which addresses may receive.
import { describe, expect, it } from 'vitest';
import { decodeFeedCursor, encodeFeedCursor, orderEventTypes, reviewEventType } from '../../src/domain/event-feed.js';
import { nextAttemptAfterFailure, retryDelayMs, shouldDisableEndpoint, type RetryPolicy } from '../../src/domain/webhook-retry.js';
import { checkEndpointUrl, refusalOf } from '../../src/webhooks/url-guard.js';

describe('events a recorded order change makes', () => {
  it.each([
    [null, 'PENDING', ['order.created']],
    ['PENDING', 'PROCESSING', ['order.updated']],
    ['PENDING', 'SUCCEEDED', ['order.updated', 'order.succeeded']],
    ['PROCESSING', 'FAILED', ['order.updated', 'order.failed']],
    ['PENDING', 'EXPIRED', ['order.updated', 'order.expired']],
    ['PENDING', 'CANCELLED', ['order.updated']],
    ['PENDING', 'NEEDS_REVIEW', ['order.updated', 'order.needs_review']],
    ['NEEDS_REVIEW', 'SUCCEEDED', ['order.updated', 'order.succeeded']],
    // Recorded without a status change (a contradicting report, a review flag): an update, never a second "succeeded".
    ['SUCCEEDED', 'SUCCEEDED', ['order.updated']],
    ['EXPIRED', 'EXPIRED', ['order.updated']],
  ])('%s → %s makes %j', (fromStatus, toStatus, types) => {
    expect(orderEventTypes({ fromStatus, toStatus })).toEqual(types);
  });

  it('announces a review when one opens, is replaced or closes, and only then', () => {
    const t1 = new Date('2026-11-30T10:00:00Z');
    const t2 = new Date('2026-11-30T11:00:00Z');
    expect(reviewEventType(t1, null)).toBe('review.opened');
    expect(reviewEventType(t2, t1)).toBe('review.opened');
    expect(reviewEventType(null, t1)).toBe('review.resolved');
    expect(reviewEventType(t1, new Date(t1))).toBeNull();
    expect(reviewEventType(null, null)).toBeNull();
  });
});

describe('feed cursors', () => {
  it('round-trip and refuse anything that is not one', () => {
    for (const position of [0n, 1n, 9_007_199_254_740_993n]) expect(decodeFeedCursor(encodeFeedCursor(position))).toBe(position);
    for (const garbage of ['', 'abc', Buffer.from('feed:-1').toString('base64url'), Buffer.from('feed:1x').toString('base64url'), 'x'.repeat(100)]) expect(decodeFeedCursor(garbage)).toBeNull();
  });
});

describe('retry schedule', () => {
  const policy: RetryPolicy = { baseMs: 5_000, maxDelayMs: 6 * 3_600_000, retryForMs: 72 * 3_600_000, disableAfterMs: 120 * 3_600_000 };

  it('doubles from the base up to the cap, with jitter of at most half', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 1))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, policy, () => 0))).toEqual([2_500, 5_000, 10_000]);
    expect(retryDelayMs(30, policy, () => 1)).toBe(policy.maxDelayMs);
  });

  it('keeps retrying a failing delivery for at least three days, then gives up', () => {
    for (const random of [() => 0, () => 1, Math.random]) {
      const created = new Date('2026-11-30T00:00:00Z');
      let now = created;
      let failures = 0;
      for (;;) {
        failures++;
        const next = nextAttemptAfterFailure(created, failures, now, policy, random);
        if (!next) break;
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        now = next;
      }
      expect(now.getTime() - created.getTime()).toBeGreaterThanOrEqual(policy.retryForMs);
      expect(failures).toBeLessThan(60);
    }
  });

  it('disables an endpoint only once it has failed for the whole period', () => {
    const since = new Date('2026-11-30T00:00:00Z');
    expect(shouldDisableEndpoint(null, new Date('2027-01-01T00:00:00Z'), policy)).toBe(false);
    expect(shouldDisableEndpoint(since, new Date(since.getTime() + policy.disableAfterMs - 1), policy)).toBe(false);
    expect(shouldDisableEndpoint(since, new Date(since.getTime() + policy.disableAfterMs), policy)).toBe(true);
  });
});

describe('where webhooks may go', () => {
  const production = { allowLoopback: false };
  const development = { allowLoopback: true };

  it.each(['10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', 'fe80::1', 'fd00::1', '::', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '127.0.0.1', '::1'])('refuses %s in production', (address) => {
    expect(refusalOf(address, production)).toMatch(/is a \w+ address/);
  });

  it('accepts public addresses, and loopback only in development', () => {
    expect(refusalOf('93.184.216.34', production)).toBeNull();
    expect(refusalOf('2606:4700:4700::1111', production)).toBeNull();
    expect(refusalOf('127.0.0.1', development)).toBeNull();
    expect(refusalOf('::1', development)).toBeNull();
    expect(refusalOf('10.0.0.1', development)).toMatch(/private/);
  });

  it.each([
    ['http://93.184.216.34/hook', development, /only https/],
    ['http://127.0.0.1:8080/hook', production, /loopback/],
    ['https://localhost/hook', production, /loopback/],
    ['https://10.0.0.7/hook', development, /private/],
    ['https://[fd12::1]/hook', development, /uniqueLocal/],
    ['https://169.254.169.254/latest/meta-data', development, /linkLocal/],
    ['https://user:pass@93.184.216.34/hook', development, /user name or password/],
    ['ftp://93.184.216.34/hook', development, /only https/],
    ['not a url', development, /not a URL/],
  ])('refuses to register %s', async (url, policy, message) => {
    await expect(checkEndpointUrl(url, policy)).rejects.toThrow(message);
  });

  it('registers https to a public address, and http to loopback in development', async () => {
    await expect(checkEndpointUrl('https://93.184.216.34/hooks?shop=1', production)).resolves.toBe('https://93.184.216.34/hooks?shop=1');
    await expect(checkEndpointUrl('http://127.0.0.1:8080/hook', development)).resolves.toBe('http://127.0.0.1:8080/hook');
  });
});
