// The real command line in a child process, as a user runs it: its output as
// it comes, waited on by pattern, and its exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningCommand {
  child: ChildProcess;
  exited: Promise<number | null>;
  readonly output: string;
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

/**
 * `paygraph <args>` as `npm start` runs it: node with tsx's loader, one process, so signals
 * reach our handlers directly. `command` overrides the whole command line (an npm script, the bin).
 */
export function runCli(args: string[], env: Record<string, string>, options: { command?: string[]; cwd?: string } = {}): RunningCommand {
  const [program, ...programArgs] = options.command ?? [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const child = spawn(program!, [...programArgs, ...args], { cwd: options.cwd ?? projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    get output() {
      return output;
    },
    waitFor(pattern: RegExp) {
      const match = output.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise<RegExpMatchArray>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`exited (${code}) before ${pattern}:\n${output}`)));
      });
    },
  };
}
