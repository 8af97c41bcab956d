// AES-256-GCM sealing of small JSON secrets, with the key id in the envelope so
// keys can be rotated: "v1.<key id>.<iv>.<tag>.<ciphertext>" (base64url parts).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { SealingKey } from './secrets-key.js';

export class SealedBox {
  private readonly keys: Map<string, Buffer>;

  /** `current` seals; `previous` keys only open what they sealed before a rotation. */
  constructor(private readonly current: SealingKey, previous: SealingKey[] = []) {
    this.keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  seal(value: unknown, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return ['v1', this.current.id, ...parts].join('.');
  }

  /**
   * A deterministic keyed digest (HMAC-SHA256 under a key derived from the
   * current sealing key), to compare secrets without storing anything an
   * offline guess could confirm: a plain hash of a 15-digit card code can be
   * brute-forced, this cannot without the key. Changes when the key rotates.
   */
  fingerprint(value: string, purpose: string): string {
    const key = createHmac('sha256', this.current.key).update(`fingerprint:${purpose}`).digest();
    return createHmac('sha256', key).update(value).digest('base64url');
  }

  /** True when `sealed` was sealed with the current key (nothing to re-seal). */
  isCurrent(sealed: string): boolean {
    return sealed.split('.')[1] === this.current.id;
  }

  /** The associated data binds a sealed value to its row: a value copied to another row will not open. */
  open<T = unknown>(sealed: string, associatedData: string): T {
    const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
    const key = this.keys.get(keyId ?? '');
    if (version !== 'v1' || !key || !iv || !tag || ciphertext === undefined) throw new Error(`cannot open sealed value (key ${keyId ?? '?'})`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
