// The operator commands' context when the CLI opens the database itself (no
// server holds the PGlite directory, or PostgreSQL). Services are built on
// first use, so `migrate` or `merchant create` load nothing of the providers.
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { applyMigrations } from '../db/migrations.js';
import type { OperatorContext } from './commands.js';

export async function openLocalOperatorContext(config: Config, options: { migrateFirst: boolean }): Promise<OperatorContext & { close(): Promise<void> }> {
  const db: Database = await openDatabase(config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: config.dataDir });
  try {
    if (options.migrateFirst) {
      // Only what is missing (a fresh data directory); an up-to-date database costs one query.
      const applied = await applyMigrations(db);
      if (applied.length) console.error(`applied pending migrations first: ${applied.join(', ')}`);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    db,
    async merchants() {
      const { ApiKeys } = await import('../services/api-keys.js');
      const { Merchants } = await import('../services/merchants.js');
      return new Merchants(db.prisma, new ApiKeys(db.prisma));
    },
    async providerAccounts() {
      await import('../providers/all.js');
      const { ProviderAccounts } = await import('../services/provider-accounts.js');
      const { SealedBox } = await import('../services/sealed-box.js');
      const { loadOrCreateSealingKey, parsePreviousKeys, sealingKeyDirectory } = await import('../services/secrets-key.js');
      const { createDatabaseNonceSource } = await import('../services/nonces.js');
      const { defaultHttpOptions } = await import('../providers/http.js');
      const box = new SealedBox(await loadOrCreateSealingKey(config.SECRETS_KEY, sealingKeyDirectory(config)), parsePreviousKeys(config.SECRETS_KEY_PREVIOUS));
      return new ProviderAccounts(db.prisma, box, { http: defaultHttpOptions, nonces: createDatabaseNonceSource(db.prisma) }, () => undefined, config.PROVIDER_HOSTS);
    },
    close: () => db.close(),
  };
}
