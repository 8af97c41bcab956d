import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { printedSchema } from '../../src/schema/index.js';

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema:print` after changing the schema)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed === printedSchema(), 'schema.graphql is stale: run npm run schema:print').toBe(true);
  });
});
