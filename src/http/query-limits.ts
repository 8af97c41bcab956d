// Limits on what one GraphQL document may ask for (GraphQL Armor's plugins),
// so a hostile caller cannot make the server parse or resolve without bound.
// Each error names the limit that was hit. The README's table mirrors these.
import type { Plugin } from '@envelop/core';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

export const queryLimits = {
  /** Nesting of selections (orders → edges → node → events → order … counts each level). */
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  /** Lexer tokens in one document. */
  maxTokens: 5_000,
  /** GraphQL Armor's cost: objects 2, scalars 1, multiplied by depth. */
  maxCost: 20_000,
} as const;

export function queryLimitPlugins(options: { production: boolean; introspection: boolean }): Plugin[] {
  const plugins: Plugin[] = [
    maxTokensPlugin({ n: queryLimits.maxTokens }),
    maxDepthPlugin({ n: queryLimits.maxDepth, ignoreIntrospection: true, flattenFragments: true, exposeLimits: true }),
    maxAliasesPlugin({ n: queryLimits.maxAliases, exposeLimits: true }),
    maxDirectivesPlugin({ n: queryLimits.maxDirectives, exposeLimits: true }),
    costLimitPlugin({ maxCost: queryLimits.maxCost, ignoreIntrospection: true, exposeLimits: true }),
  ];
  // In production, do not teach an attacker the schema: no suggestions, no introspection unless asked for.
  if (options.production) plugins.push(blockFieldSuggestionsPlugin());
  if (options.production && !options.introspection) {
    plugins.push({
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    });
  }
  return plugins;
}
