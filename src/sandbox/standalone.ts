// `npm run sandbox`: the provider simulators on their own, for someone building a client.
import type { Config } from '../config.js';
import { startSandbox } from './server.js';
import { createSimulators } from './index.js';

export async function runStandaloneSandbox(config: Config) {
  const sandbox = await startSandbox(createSimulators({ callbackBaseUrl: () => config.PUBLIC_URL }), { port: config.SANDBOX_PORT || 4100, host: config.HOST });
  console.log(`provider sandbox listening at ${sandbox.url}`);
  for (const name of sandbox.simulators.keys()) console.log(`  ${sandbox.baseUrl(name)}  (state: ${sandbox.baseUrl(name)}/_sandbox/state)`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
