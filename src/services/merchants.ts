// Merchants: created from the CLI (or at first start in the embedded default),
// each with one API key to begin with.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ApiKeys } from './api-keys.js';

export class Merchants {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly apiKeys: ApiKeys,
  ) {}

  /** Creates a merchant and its first key; the key is returned once, never stored in clear. */
  async create(input: { name: string; sandbox: boolean }) {
    const merchant = await this.prisma.merchant.create({ data: { name: input.name, sandbox: input.sandbox } });
    const { key } = await this.apiKeys.create(merchant.id, 'default');
    return { merchant, apiKey: key };
  }

  count() {
    return this.prisma.merchant.count();
  }
}
