import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, assertSafeForProduction, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('needs nothing to start: embedded database, sandbox providers, port 4000', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SANDBOX).toBe(true);
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it.each([
    ['PORT', 'eighty', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'mysql://root@localhost/x', /DATABASE_URL: expected a postgresql:\/\//],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected a redis:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['SANDBOX', 'maybe', /SANDBOX/],
    ['SECRETS_KEY', 'short', /SECRETS_KEY: expected "<key id>:<base64 of 32 random bytes>"/],
    ['POLL_INTERVAL_MS', '5', /POLL_INTERVAL_MS/],
  ])('stops on a bad %s, naming it and what it expects', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never echoes a secret-looking value back', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('runs no sandbox in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).SANDBOX).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX: 'true' }).SANDBOX).toBe(true);
  });

  it('reads the operator\'s provider hosts, and stops on a wrong one', () => {
    expect(loadConfig({ PROVIDER_HOSTS: 'card=thecao.example.vn,*.doithe.example; VNKASH=api.vnkash.com' }).PROVIDER_HOSTS).toEqual({
      CARD: ['thecao.example.vn', '*.doithe.example'],
      VNKASH: ['api.vnkash.com'],
    });
    expect(() => loadConfig({ PROVIDER_HOSTS: 'PAYPAL=x.example' })).toThrow(/PROVIDER_HOSTS: unknown provider "PAYPAL"/);
    expect(() => loadConfig({ PROVIDER_HOSTS: 'CARD=https://x.example' })).toThrow(/PROVIDER_HOSTS: "https:\/\/x.example" is not a host/);
  });

  it('names every unsafe production setting, and accepts the ones waived with ALLOW_UNSAFE', () => {
    const unsafe = { NODE_ENV: 'production', SANDBOX: 'true', CORS_ORIGINS: '*', RATE_LIMIT_PER_IP: '0', DATA_DIR: ':memory:' };
    expect(() => assertSafeForProduction(loadConfig(unsafe))).toThrow(/SANDBOX:[^]*SECRETS_KEY:[^]*CORS_ORIGINS:[^]*RATE_LIMIT:[^]*PUBLIC_URL:[^]*DATA_DIR:/);
    const waived = loadConfig({ ...unsafe, ALLOW_UNSAFE: 'sandbox,SECRETS_KEY,CORS_ORIGINS,RATE_LIMIT,PUBLIC_URL,DATA_DIR' });
    expect(() => assertSafeForProduction(waived)).not.toThrow();
    const safe = loadConfig({ NODE_ENV: 'production', SECRETS_KEY: `k:${Buffer.alloc(32).toString('base64')}`, PUBLIC_URL: 'https://pay.example' });
    expect(() => assertSafeForProduction(safe)).not.toThrow();
  });
});
