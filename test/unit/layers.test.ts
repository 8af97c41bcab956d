// The layer rules of .dependency-cruiser.cjs hold over src/: services never
// reach the schema, the domain and the errors do no I/O and load no framework,
// providers know nothing of services or the API, and there is no import cycle.
// The same rules run over a fixture tree that breaks each of them once, so a
// rule that stopped matching would fail here too.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function violations(baseDir: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(path.join(repo, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(path.join(repo, 'tsconfig.json'));
  const result = await cruise(['src'], { ...options, baseDir }, {}, { tsConfig });
  const { summary } = result.output as ICruiseResult;
  return summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`).sort();
}

describe('layers', () => {
  it('src/ keeps every layer rule and has no import cycle', async () => {
    expect(await violations(repo)).toEqual([]);
  });

  it('each rule catches its own breach (fixture tree)', async () => {
    const found = await violations(path.join(repo, 'test/fixtures/layers'));
    const rules = new Set(found.map((line) => line.split(':')[0]));
    expect([...rules].sort()).toEqual(['domain-is-pure', 'domain-no-io', 'errors-are-plain', 'no-cycles', 'providers-only-domain', 'services-never-reach-schema', 'services-not-to-schema']);
    expect(found).toContain('services-not-to-schema: src/services/uses-schema.ts → src/schema/builder.ts');
    expect(found).toContain('domain-no-io: src/domain/reads-files.ts → fs');
    expect(found).toContain('services-never-reach-schema: src/services/via-worker.ts → src/schema/builder.ts');
  });
});
