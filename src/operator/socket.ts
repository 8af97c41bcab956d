// A running server that holds a PGlite directory runs the operator's commands
// for the CLI: over a Unix socket beside the data (owner-only, like the
// database files themselves), one JSON line in, one JSON line out. So
// `npm run merchant:create` while `npm start` runs creates a merchant that
// server knows at once, instead of writing into a copy it will overwrite.
import { createHash } from 'node:crypto';
import { chmod, unlink } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { describeRequest, OperatorCommandError, parseOperatorRequest, type OperatorRequest } from './commands.js';

const MAX_REQUEST_BYTES = 64 * 1024;
/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;

type Answer = { ok: true; output: string } | { ok: false; error: string };

/** Beside the data when the path fits, else in the temporary directory under a name derived from it. */
export function operatorSocketPath(dataDir: string): string {
  const beside = path.join(dataDir, 'paygraph.sock');
  if (beside.length <= MAX_SOCKET_PATH) return beside;
  return path.join(tmpdir(), `paygraph-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`);
}

export interface OperatorSocket {
  readonly path: string;
  close(): Promise<void>;
}

export async function listenForOperatorRequests(socketPath: string, run: (request: OperatorRequest) => Promise<string>, logger: Logger): Promise<OperatorSocket> {
  // A socket file left by a server that died: we hold the data directory, so it is nobody's.
  await unlink(socketPath).catch(() => {});
  const server = net.createServer((connection) => {
    let received = '';
    connection.setEncoding('utf8');
    connection.on('error', () => {});
    connection.on('data', (chunk: string) => {
      received += chunk;
      if (received.length > MAX_REQUEST_BYTES) return connection.destroy();
      const newline = received.indexOf('\n');
      if (newline < 0) return;
      connection.pause();
      void answer(received.slice(0, newline)).then((reply) => connection.end(JSON.stringify(reply) + '\n'));
    });
  });

  async function answer(line: string): Promise<Answer> {
    let request: OperatorRequest;
    try {
      request = parseOperatorRequest(JSON.parse(line));
    } catch (error) {
      return { ok: false, error: error instanceof OperatorCommandError ? error.message : 'not an operator request' };
    }
    try {
      const output = await run(request);
      logger.info(describeRequest(request), 'operator command run for the CLI');
      return { ok: true, output };
    } catch (error) {
      if (error instanceof OperatorCommandError) return { ok: false, error: error.message };
      logger.error({ err: error, ...describeRequest(request) }, 'operator command failed');
      return { ok: false, error: `the server could not run ${request.command}: ${(error as Error).message}` };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  // Only this user may ask the server for merchants and keys, as only this user may read its database.
  await chmod(socketPath, 0o600);
  return {
    path: socketPath,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Asks the server listening on `socketPath` to run `request`; its refusal comes back as an OperatorCommandError. */
export async function sendOperatorRequest(socketPath: string, request: OperatorRequest): Promise<string> {
  const reply = await new Promise<string>((resolve, reject) => {
    const connection = net.createConnection(socketPath);
    let received = '';
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(JSON.stringify(request) + '\n'));
    connection.on('data', (chunk: string) => (received += chunk));
    connection.on('end', () => resolve(received));
    connection.on('error', reject);
  });
  let answer: Answer;
  try {
    answer = JSON.parse(reply) as Answer;
  } catch {
    throw new OperatorCommandError('the server closed the operator socket without an answer (see its log)');
  }
  if (!answer.ok) throw new OperatorCommandError(answer.error);
  return answer.output;
}
