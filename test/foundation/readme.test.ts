// The README's commands run as written and its settings exist: every
// `npm run <script>` names a script of package.json, every `paygraph <command>`
// a command of the CLI, and every setting of the configuration is in the
// README's table and in .env.example. (The commands themselves are exercised by
// first-hour.test.ts and cli.test.ts.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../src/config.js';
import { projectRoot } from '../support/cli.js';

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
const readme = read('README.md');
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
/** The CLI's usage text, as `paygraph help` prints it. */
const usage = /const usage = `([\s\S]*?)`;/.exec(read('src/main.ts'))![1]!;
const cliCommands = [...usage.matchAll(/^ {2}([a-z]+(?: [a-z]+)?)\b/gm)].map((m) => m[1]!.replace(/ (?:\[|<).*/, ''));

describe('the README', () => {
  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm (?:run(?: -s)? ([\w:|-]+)|(start|test)\b)/g)].flatMap((m) => (m[1] ?? m[2]!).split('|'));
    expect(named.length).toBeGreaterThan(10);
    // "bench:read|bench:callbacks" style lists name several.
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('names only CLI commands that exist, and each is reachable as `npx paygraph …`', () => {
    const named = [...readme.matchAll(/paygraph ((?:start|migrate|migration|merchant|provider|secrets|schema|sandbox|help)(?: (?:create|set|rotate|print|check))?)/g)].map((m) => m[1]!);
    expect(named).toEqual(expect.arrayContaining(['provider set', 'secrets rotate']));
    expect(named.filter((name) => !cliCommands.some((command) => command === name || command.startsWith(`${name} `)))).toEqual([]);
    expect(JSON.parse(read('package.json')).bin).toEqual({ paygraph: 'bin/paygraph.js' });
  });

  it('and .env.example describe every setting', () => {
    const settings = Object.keys(configSchema.shape);
    const example = read('.env.example');
    expect(settings.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
    expect(settings.filter((name) => !readme.includes(`| \`${name}\``))).toEqual([]);
  });
});
