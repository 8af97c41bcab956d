// graphql-yoga's hello world, by default the project's own graphql-yoga. Options
// select the variants the read-throughput investigation compares: another yoga
// build (yogaDir), the parser/validation cache, masked errors, graphql-jit.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { benchOptions, serve } from './ipc.js';

interface Options {
  /** A folder holding another graphql-yoga (its package root), e.g. an older version installed outside the project. */
  yogaDir?: string;
  parserAndValidationCache?: boolean;
  maskedErrors?: boolean;
  /** false: no request-body size guard (5.24 pipes every POST body through a TransformStream for it). */
  maxRequestBodySize?: number | false;
  /** Directory holding @envelop/graphql-jit (installed outside the project), to try graphql-jit. */
  jitDir?: string;
}

const options = benchOptions<Options>();
const yogaModule: typeof import('graphql-yoga') = options.yogaDir ? await import(pathToFileURL(path.join(options.yogaDir, 'cjs/index.js')).href) : await import('graphql-yoga');
const { createYoga, createSchema } = yogaModule;
const plugins: unknown[] = [];
if (options.jitDir) {
  const jit = await import(pathToFileURL(path.join(options.jitDir, 'cjs/index.js')).href);
  plugins.push(jit.useGraphQlJit());
}

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  ...(options.parserAndValidationCache === undefined ? {} : { parserAndValidationCache: options.parserAndValidationCache }),
  ...(options.maskedErrors === undefined ? {} : { maskedErrors: options.maskedErrors }),
  ...(options.maxRequestBodySize === undefined ? {} : { maxRequestBodySize: options.maxRequestBodySize }),
  plugins: plugins as never[],
});
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serve({ url: `http://127.0.0.1:${port}`, version: yogaVersion() }, { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
});

function yogaVersion(): string {
  const dir = options.yogaDir ?? path.dirname(path.dirname(fileURLToPath(import.meta.resolve('graphql-yoga'))));
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}
