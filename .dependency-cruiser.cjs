// The layer rules of src/ (see ARCHITECTURE.md), checked by
// test/unit/layers.test.ts and by `npx depcruise src` by hand:
//   domain ← services ← schema / callbacks / workers; providers depend only on
//   domain (and errors); errors and domain do no I/O and load no framework.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle in src/ (type-only imports count: they tie the modules together just the same).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'services-not-to-schema',
      comment: 'Services are the use cases; GraphQL calls them, never the other way round (loading a service must not build the schema).',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/schema/' },
    },
    {
      name: 'services-never-reach-schema',
      comment: 'Not even through another module: the CLI and the workers load services without the Pothos schema.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/schema/', reachable: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain imports only the domain and the error classes.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^src/errors/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-no-io',
      comment: 'No Node module with I/O in the domain (crypto only: randomness there is injectable).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'], pathNot: ['^(node:)?crypto$'] },
    },
    {
      name: 'errors-are-plain',
      comment: 'Error classes import nothing but each other and domain types: every layer may throw them.',
      severity: 'error',
      from: { path: '^src/errors/' },
      to: { pathNot: ['^src/errors/', '^src/domain/'] },
    },
    {
      name: 'providers-only-domain',
      comment: 'A connector knows its provider and the unified types, nothing of our use cases or API.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/(services|schema|callbacks|workers|webhooks|checkout|operator|cli|app\\.ts)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
  },
};
