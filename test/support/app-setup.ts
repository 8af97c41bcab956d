// The setup most test files repeat: one app started before the file's (or the
// describe's) tests and stopped after them, with its merchants. The returned
// objects are filled in place once beforeAll has run, so a file can destructure
// them where it declares them and use them in its tests as before.
import { afterAll, beforeAll } from 'vitest';
import { createMerchant, startTestApp, type TestApp } from './harness.js';

export interface TestMerchant {
  merchantId: string;
  apiKey: string;
}

/**
 * Registers beforeAll/afterAll for one app (config `env`) and one sandbox merchant per name, made in order:
 * `merchant` is the first, `merchants` all of them in the order of `merchantNames`.
 */
export function useTestApp<const Names extends readonly string[] = ['Test shop']>(env: Record<string, string> = {}, merchantNames: Names = ['Test shop'] as unknown as Names) {
  const t = {} as TestApp;
  const merchants = merchantNames.map(() => ({}) as TestMerchant) as { [K in keyof Names]: TestMerchant };
  beforeAll(async () => {
    Object.assign(t, await startTestApp(env));
    for (const [index, name] of merchantNames.entries()) Object.assign(merchants[index]!, await createMerchant(t.app, name));
  });
  afterAll(async () => {
    await t.stop?.();
  });
  return { t, merchant: merchants[0] as TestMerchant, merchants };
}
