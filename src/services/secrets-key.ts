// The key that seals provider secrets at rest (AES-256-GCM). From SECRETS_KEY
// when set; otherwise generated once into the data directory, owner-only, so the
// embedded default needs no setup and never stores secrets in clear.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface SealingKey {
  id: string;
  key: Buffer;
}

export function parseSealingKey(text: string): SealingKey {
  const [id, base64] = text.trim().split(':');
  const key = Buffer.from(base64 ?? '', 'base64');
  if (!id || key.length !== 32) throw new Error('a sealing key is "<key id>:<base64 of 32 bytes>"');
  return { id, key };
}

/** Where the generated key lives: DATA_DIR, or nowhere (null) for a throw-away DATA_DIR=:memory:. */
export function sealingKeyDirectory(config: { DATA_DIR: string; dataDir: string }): string | null {
  return config.DATA_DIR === ':memory:' ? null : config.dataDir;
}

/** `dataDir` null: a throw-away database (DATA_DIR=:memory:), whose key lives as long as it does, in memory. */
export async function loadOrCreateSealingKey(configured: string | undefined, dataDir: string | null): Promise<SealingKey> {
  if (configured) return parseSealingKey(configured);
  if (dataDir === null) return { id: 'memory', key: randomBytes(32) };
  const file = path.join(dataDir, 'secrets.key');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing) return parseSealingKey(existing);
  await mkdir(dataDir, { recursive: true });
  const created = `k${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`;
  // 'wx' fails if another process created it first: then use theirs.
  await writeFile(file, created + '\n', { mode: 0o600, flag: 'wx' }).catch(() => {});
  await chmod(file, 0o600).catch(() => {});
  return parseSealingKey(await readFile(file, 'utf8'));
}

/** The retired keys from SECRETS_KEY_PREVIOUS. */
export function parsePreviousKeys(configured: string | undefined): SealingKey[] {
  return configured ? configured.split(',').map(parseSealingKey) : [];
}
