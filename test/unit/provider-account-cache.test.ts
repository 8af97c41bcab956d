// The provider accounts an instance keeps while it hears their changes
// (src/services/provider-accounts.ts): kept only while listening, forgotten on
// a change or a reopened connection, and never kept when a change came while
// the row was being read.
import { describe, expect, it, vi } from 'vitest';
import { ProviderAccounts } from '../../src/services/provider-accounts.js';

function accountsOverFakeDatabase() {
  let release: () => void = () => {};
  let held = false;
  const prisma = {
    providerAccount: {
      findUnique: vi.fn(async () => {
        if (held) await new Promise<void>((resolve) => (release = resolve));
        return { settings: { callbackSourceIps: '203.0.113.7' } };
      }),
    },
    merchant: { findUnique: vi.fn(async () => ({ sandbox: false })) },
  };
  const accounts = new ProviderAccounts(prisma as never, {} as never, {} as never, () => undefined);
  let announce: (payload?: string) => void = () => {};
  const follow = () =>
    accounts.followChanges(async (_channel, listener) => {
      announce = listener;
      return async () => {};
    });
  return {
    accounts,
    reads: () => prisma.providerAccount.findUnique.mock.calls.length,
    follow,
    announce: (payload?: string) => announce(payload),
    hold: () => {
      held = true;
      return () => {
        held = false;
        release();
      };
    },
  };
}

describe('provider accounts kept per instance', () => {
  it('are read every time while nobody listens for their changes', async () => {
    const db = accountsOverFakeDatabase();
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(2);
  });

  it('are read once while listening, again after their merchant changed or the connection was reopened', async () => {
    const db = accountsOverFakeDatabase();
    const stop = await db.follow();
    expect(await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY')).toEqual(['203.0.113.7']);
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(1);
    db.announce('m2');
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(1);
    db.announce('m1');
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(2);
    db.announce(undefined);
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(3);
    await stop();
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(4);
  });

  it('do not keep a row read while a change was announced', async () => {
    const db = accountsOverFakeDatabase();
    await db.follow();
    const release = db.hold();
    const reading = db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    db.announce('m1');
    release();
    await reading;
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(2);
    await db.accounts.callbackAllowList('m1', 'AZCONNECTPAY');
    expect(db.reads()).toBe(2);
  });
});
