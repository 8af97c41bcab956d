// Idempotency keys on a real (in-memory PGlite) database: first claim, replay,
// reuse with another input, a retry waiting for the first, expiry, a first
// request that died after creating its order, and housekeeping.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { hashInput, Idempotency, type StoredResult } from '../../src/services/idempotency.js';
import { IdempotencyConflictError, IdempotencyKeyReusedError } from '../../src/errors/index.js';

describe('hashInput', () => {
  it('is the same for the same input however its keys are ordered, and drops absent values', () => {
    const a = hashInput('createCashIn', { amount: 150_000n, method: 'BANK', note: undefined, reference: null, at: new Date('2026-01-02T03:04:05Z') });
    const b = hashInput('createCashIn', { at: new Date('2026-01-02T03:04:05Z'), method: 'BANK', amount: 150_000n });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs by operation, by value, by type and by nested content', () => {
    const base = hashInput('createCashIn', { amount: 150_000n, tags: ['a', 'b'], payee: { bank: 'ACB' } });
    const others = [
      hashInput('createCashOut', { amount: 150_000n, tags: ['a', 'b'], payee: { bank: 'ACB' } }),
      hashInput('createCashIn', { amount: 150_001n, tags: ['a', 'b'], payee: { bank: 'ACB' } }),
      hashInput('createCashIn', { amount: 150_000, tags: ['a', 'b'], payee: { bank: 'ACB' } }),
      hashInput('createCashIn', { amount: 150_000n, tags: ['b', 'a'], payee: { bank: 'ACB' } }),
      hashInput('createCashIn', { amount: 150_000n, tags: ['a', 'b'], payee: { bank: 'BIDV' } }),
      hashInput('createCashIn', { amount: 150_000n, tags: ['a', 'b'], payee: { bank: 'ACB', extra: 0 } }),
      hashInput('createCashIn', { amount: 150_000n, tags: ['a', 'b'], payee: { bank: 'ACB' }, when: new Date(0) }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('keeps a list’s empty elements: they are part of what was asked', () => {
    expect(hashInput('op', { tags: ['a', null] })).not.toBe(hashInput('op', { tags: ['a'] }));
    expect(hashInput('op', { tags: ['a'] })).not.toBe(hashInput('op', { tags: { 0: 'a' } }));
  });

  it('keeps a Date as its instant and a bigint as its digits', () => {
    expect(hashInput('op', { at: new Date('2026-01-02T03:04:05Z') })).toBe(hashInput('op', { at: '2026-01-02T03:04:05.000Z' }));
    expect(hashInput('op', { amount: 12n })).toBe(hashInput('op', { amount: '12' }));
    expect(hashInput('op', [{ b: 1, a: 2 }])).toBe(hashInput('op', [{ a: 2, b: 1 }]));
  });
});

describe('idempotency keys', () => {
  let db: Database;
  let merchantId: string;
  let idempotency: Idempotency;
  const order = (): StoredResult => ({ kind: 'order', orderId: randomUUID() });
  const row = (key: string) => db.prisma.idempotencyKey.findUniqueOrThrow({ where: { merchantId_key: { merchantId, key } } });

  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
    await applyMigrations(db);
    merchantId = (await db.prisma.merchant.create({ data: { name: 'Idempotency shop' } })).id;
    idempotency = new Idempotency(db.prisma, { ttlHours: 24, waitMs: 300 });
  });
  afterAll(() => db?.close());

  it('claims a new key, remembering it for ttlHours', async () => {
    const claim = await idempotency.claim(merchantId, 'new', 'createCashIn', { amount: 1n });
    expect(claim.kind).toBe('claimed');
    const stored = await row('new');
    expect(claim).toEqual({ kind: 'claimed', recordId: stored.id });
    expect(stored).toMatchObject({ state: 'IN_PROGRESS', operation: 'createCashIn', requestHash: hashInput('createCashIn', { amount: 1n }), orderId: null, result: null });
    const lifetime = stored.expiresAt.getTime() - stored.createdAt.getTime();
    expect(Math.abs(lifetime - 24 * 3_600_000)).toBeLessThan(60_000);
  });

  it('replays what the first request answered to a retry with the same input', async () => {
    const first = await idempotency.claim(merchantId, 'replay', 'createCashIn', { amount: 2n });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    const result = order();
    await idempotency.complete(first.recordId, result, result.kind === 'order' ? result.orderId : undefined);
    expect(await idempotency.claim(merchantId, 'replay', 'createCashIn', { amount: 2n })).toEqual({ kind: 'replay', result });
    expect(await row('replay')).toMatchObject({ state: 'COMPLETED', orderId: (result as { orderId: string }).orderId });
  });

  it('replays a stored typed error too', async () => {
    const first = await idempotency.claim(merchantId, 'refused', 'createCashIn', { amount: 3n });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    const result: StoredResult = { kind: 'error', error: { name: 'ProviderRefusedError', message: 'no', code: '42' } };
    await idempotency.complete(first.recordId, result);
    expect(await idempotency.claim(merchantId, 'refused', 'createCashIn', { amount: 3n })).toEqual({ kind: 'replay', result });
  });

  it('refuses the same key with another input or another operation, and keeps the first', async () => {
    await idempotency.claim(merchantId, 'reused', 'createCashIn', { amount: 4n });
    const before = await row('reused');
    const reused = await idempotency.claim(merchantId, 'reused', 'createCashIn', { amount: 5n }).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(reused).toMatchObject({ name: 'IdempotencyKeyReusedError', key: 'reused' });
    await expect(idempotency.claim(merchantId, 'reused', 'createCashOut', { amount: 4n })).rejects.toThrow('idempotency key "reused" was already used with a different input');
    expect(await row('reused')).toEqual(before);
  });

  it('keeps one merchant’s key apart from another’s', async () => {
    const other = (await db.prisma.merchant.create({ data: { name: 'Other shop' } })).id;
    const mine = await idempotency.claim(merchantId, 'shared-name', 'createCashIn', { amount: 6n });
    const theirs = await idempotency.claim(other, 'shared-name', 'createCashIn', { amount: 7n });
    expect([mine.kind, theirs.kind]).toEqual(['claimed', 'claimed']);
  });

  it('answers a conflict to a retry while the first is still in progress, once it has waited', async () => {
    await idempotency.claim(merchantId, 'in-flight', 'createCashIn', { amount: 8n });
    const startedAt = Date.now();
    const retry = await idempotency.claim(merchantId, 'in-flight', 'createCashIn', { amount: 8n }).catch((error: unknown) => error);
    expect(retry).toBeInstanceOf(IdempotencyConflictError);
    expect(retry).toMatchObject({ name: 'IdempotencyConflictError', key: 'in-flight', message: 'a request with idempotency key "in-flight" is still in progress; retry later' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
  });

  it('hands a waiting retry the answer as soon as the first completes', async () => {
    const patient = new Idempotency(db.prisma, { ttlHours: 24, waitMs: 30_000 });
    const first = await patient.claim(merchantId, 'waits', 'createCashIn', { amount: 9n });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    // Complete only once the retry has looked and seen the first still in progress.
    const looked = new Promise<void>((resolve) => {
      const stop = db.onQuery((sql) => {
        if (/SELECT/i.test(sql) && sql.includes('IdempotencyKey')) {
          stop();
          resolve();
        }
      });
    });
    const retry = patient.claim(merchantId, 'waits', 'createCashIn', { amount: 9n });
    await looked;
    const result = order();
    await patient.complete(first.recordId, result);
    expect(await retry).toEqual({ kind: 'replay', result });
  });

  it('hands out the order of a first request that died after creating it', async () => {
    const first = await idempotency.claim(merchantId, 'crashed', 'createCashIn', { amount: 10n });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    const orderId = randomUUID();
    await idempotency.attachOrder(first.recordId, orderId);
    expect(await row('crashed')).toMatchObject({ state: 'IN_PROGRESS', orderId });
    // Recent: still in flight.
    await expect(idempotency.claim(merchantId, 'crashed', 'createCashIn', { amount: 10n })).rejects.toBeInstanceOf(IdempotencyConflictError);
    // Two minutes on, the first request is taken for dead.
    await db.prisma.idempotencyKey.update({ where: { id: first.recordId }, data: { createdAt: new Date(Date.now() - 121_000) } });
    expect(await idempotency.claim(merchantId, 'crashed', 'createCashIn', { amount: 10n })).toEqual({ kind: 'replay', result: { kind: 'order', orderId } });
  });

  it('forgets an expired key: the next request claims it afresh, whatever its input, and forgets nothing else', async () => {
    const bystander = await idempotency.claim(merchantId, 'bystander', 'createCashIn', { amount: 18n });
    const first = await idempotency.claim(merchantId, 'expired', 'createCashIn', { amount: 11n });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    await idempotency.complete(first.recordId, order());
    await db.prisma.idempotencyKey.update({ where: { id: first.recordId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const again = await idempotency.claim(merchantId, 'expired', 'createCashIn', { amount: 12n });
    expect(again.kind).toBe('claimed');
    expect(again).not.toEqual({ kind: 'claimed', recordId: first.recordId });
    expect(await row('expired')).toMatchObject({ state: 'IN_PROGRESS', requestHash: hashInput('createCashIn', { amount: 12n }) });
    expect(await row('bystander')).toMatchObject({ id: bystander.kind === 'claimed' ? bystander.recordId : '' });
  });

  it('frees a key whose first request failed before any effect, but never a completed one', async () => {
    const failed = await idempotency.claim(merchantId, 'released', 'createCashIn', { amount: 13n });
    if (failed.kind !== 'claimed') throw new Error('expected a claim');
    await idempotency.release(failed.recordId);
    expect(await db.prisma.idempotencyKey.count({ where: { id: failed.recordId } })).toBe(0);
    expect((await idempotency.claim(merchantId, 'released', 'createCashIn', { amount: 14n })).kind).toBe('claimed');

    const done = await idempotency.claim(merchantId, 'kept', 'createCashIn', { amount: 15n });
    if (done.kind !== 'claimed') throw new Error('expected a claim');
    await idempotency.complete(done.recordId, order());
    await idempotency.release(done.recordId);
    expect(await db.prisma.idempotencyKey.count({ where: { id: done.recordId } })).toBe(1);
  });

  it('lets a database error other than a taken key through, rather than take it for one', async () => {
    await expect(idempotency.claim(randomUUID(), 'no-such-merchant', 'createCashIn', { amount: 19n })).rejects.toThrow(/foreign key|P2003/i);
  });

  it('purges only keys past their expiry', async () => {
    const old = await idempotency.claim(merchantId, 'purge-old', 'createCashIn', { amount: 16n });
    const fresh = await idempotency.claim(merchantId, 'purge-fresh', 'createCashIn', { amount: 17n });
    if (old.kind !== 'claimed' || fresh.kind !== 'claimed') throw new Error('expected claims');
    const now = new Date();
    await db.prisma.idempotencyKey.update({ where: { id: old.recordId }, data: { expiresAt: new Date(now.getTime() - 1) } });
    await db.prisma.idempotencyKey.update({ where: { id: fresh.recordId }, data: { expiresAt: now } });
    const { count } = await idempotency.purgeExpired(now);
    expect(count).toBe(1);
    expect(await db.prisma.idempotencyKey.count({ where: { id: { in: [old.recordId, fresh.recordId] } } })).toBe(1);
    expect(await db.prisma.idempotencyKey.count({ where: { id: fresh.recordId } })).toBe(1);
  });
});
