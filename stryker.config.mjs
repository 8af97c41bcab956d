// Mutation testing (`npm run mutation`, by hand: not part of `npm test` or CI).
// Scoped to the code where a surviving bug costs money or trust; the tests are
// the fast ones that exercise that code directly (unit, provider connectors
// against their simulators, services on an in-memory PGlite), and each mutant
// runs only the tests that reached it (perTest coverage).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/domain/**/*.ts',
    'src/providers/*/signing.ts',
    'src/providers/*/callback.ts',
    'src/providers/*/webhook.ts',
    'src/providers/card/judge.ts',
    'src/services/idempotency.ts',
    'src/services/order-transitions.ts',
    'src/http/client-token-fence.ts',
  ],
  testFiles: [
    'test/unit/**/*.test.ts',
    'test/providers/**/*.test.ts',
    'test/bank/payment-matching.test.ts',
    'test/cards/card-charge-outcome.test.ts',
    'test/services/**/*.test.ts',
  ],
  // Module-level constants (regexes, tables) would need a fresh environment per mutant.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 75, break: null },
};
