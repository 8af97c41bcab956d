import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

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
});
