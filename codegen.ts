// GraphQL Code Generator: typed documents for clients, from the committed
// schema.graphql (npm run codegen; npm run typecheck runs it first, so an
// operation that no longer matches the schema fails the type check):
// - examples/gql/ from the operations under examples/;
// - console/src/gql/ from the graphql(`…`) calls in the console's source.
import type { CodegenConfig } from '@graphql-codegen/cli';

const scalars = { BigInt: 'string', DateTime: 'string', JSON: 'unknown' };

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  // ESM with explicit .js extensions, as this project's TypeScript (NodeNext) requires.
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/gql/': {
      documents: ['examples/**/*.graphql'],
      preset: 'client',
      config: { scalars, enumsAsTypes: true, useTypeImports: true },
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
    },
    'console/src/gql/': {
      documents: ['console/src/**/*.{ts,tsx}', '!console/src/gql/**'],
      preset: 'client',
      // Documents as strings (no graphql-js in the browser bundle); only the types the operations use.
      config: { scalars, enumsAsTypes: true, useTypeImports: true, documentMode: 'string', onlyOperationTypes: true },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
