// The baseline of bench/start.ts: a bare graphql-yoga hello world started as a
// plain Node process (JavaScript, no compilation), printing one line once it listens.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }) });
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => process.stdout.write('yoga is listening\n'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
