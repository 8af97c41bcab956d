// Prisma's schema engine, WebAssembly build, loaded in-process so migrations
// run offline: the CLI's native engine would be downloaded at first use, which
// these machines (and any strict firewall) refuse. See ../shared/toolchain-notes.md.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);
let instantiated: Promise<void> | undefined;

/**
 * The engine's own timers (its Rust timeouts become JavaScript setTimeout calls,
 * never cleared) outlive the work: a one-off command that migrated would wait
 * about ten seconds for them before exiting. They are kept here and let go of
 * (unref) once no engine is open.
 */
const engineTimers = new Set<NodeJS.Timeout>();
let openEngines = 0;

function trackedTimers(): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...bindings };
  for (const name of Object.keys(imports)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    imports[name] = (callback: () => void, delay: number) => {
      const timer = setTimeout(() => {
        engineTimers.delete(timer);
        callback();
      }, delay >>> 0);
      engineTimers.add(timer);
      if (openEngines === 0) timer.unref();
      return timer;
    };
  }
  return imports;
}

/** The package entry imports the .wasm file as an ES module, which Node 20 refuses: instantiate it by hand. */
function instantiate(): Promise<void> {
  instantiated ??= (async () => {
    // the package exports only its JS; the .wasm file sits beside it
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': trackedTimers() as WebAssembly.ModuleImports });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

/** Runs `work` with an engine on this adapter, then frees it. */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
  log: (message: string) => void = () => {},
): Promise<T> {
  await instantiate();
  const Engine = (bindings as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  openEngines++;
  try {
    const engine = await Engine.new({ datamodels: undefined }, log, bindMigrationAwareSqlAdapterFactory(adapterFactory));
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    if (--openEngines === 0) for (const timer of engineTimers) timer.unref();
  }
}
