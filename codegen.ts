// GraphQL Code Generator: typed documents for clients, from the committed
// schema.graphql and the operations under examples/ (npm run codegen).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/**/*.graphql'],
  ignoreNoDocuments: false,
  // ESM with explicit .js extensions, as this project's TypeScript (NodeNext) requires.
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/gql/': {
      preset: 'client',
      config: {
        scalars: { BigInt: 'string', DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
    },
  },
};

export default config;
