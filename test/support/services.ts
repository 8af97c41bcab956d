// Whether this machine has PostgreSQL and Redis (CI does; a fresh user machine may not).
// Shared by the test harness and the benchmarks.
import { postgresProblem, redisProblem } from '../../src/preflight.js';

export async function postgresReachable(url: string): Promise<boolean> {
  return (await postgresProblem(url, 1500)) === null;
}

export async function redisReachable(url: string): Promise<boolean> {
  return (await redisProblem(url, 1500)) === null;
}
