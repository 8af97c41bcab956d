// Limits on what one GraphQL document may ask for (GraphQL Armor's plugins),
// so a hostile caller cannot make the server parse or resolve without bound.
// Each error names the limit that was hit. The README's table mirrors these.
import type { Plugin } from '@envelop/core';
import { GraphQLError, Lexer, NoSchemaIntrospectionCustomRule, Source, TokenKind } from 'graphql';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

export const queryLimits = {
  /** Nesting of selections (orders → edges → node → events → order … counts each level). */
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  /** Lexer tokens in one document. */
  maxTokens: 5_000,
  /** Open brackets ({ [ () at once: far above what the depth limit lets through, far below what overflows the parser's stack. */
  maxNesting: 64,
  /** GraphQL Armor's cost: objects 2, scalars 1, multiplied by depth. */
  maxCost: 20_000,
} as const;

export function queryLimitPlugins(options: { production: boolean; introspection: boolean }): Plugin[] {
  const plugins: Plugin[] = [
    documentShapePlugin(),
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

const opening = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const closing = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Counts tokens and bracket nesting with graphql's own lexer (a loop) before
 * the parser (recursive descent) sees the document. graphql-armor's token
 * limit counted while parsing, so a 3 000-deep selection overflowed the
 * parser's stack before reaching the limit ("Unexpected error.").
 */
export function checkDocumentShape(body: string) {
  const lexer = new Lexer(new Source(body));
  let tokens = 0;
  let nesting = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > queryLimits.maxTokens) throw new GraphQLError(`Syntax Error: Token limit of ${queryLimits.maxTokens} exceeded.`);
    if (opening.has(token.kind) && ++nesting > queryLimits.maxNesting) throw new GraphQLError(`Syntax Error: Nesting limit of ${queryLimits.maxNesting} exceeded.`);
    if (closing.has(token.kind)) nesting--;
  }
}

function documentShapePlugin(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      // Wraps the parser, so a document served from yoga's parse cache is not lexed again.
      setParseFn((source, options) => {
        checkDocumentShape(typeof source === 'string' ? source : source.body);
        return parseFn(source, options);
      });
    },
  };
}
