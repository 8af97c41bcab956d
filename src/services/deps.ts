// What the services are built from, once per app instance (createServices in
// index.ts). Its own file so a service factory can name it without importing
// the index that imports it.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import type { SandboxAccess } from './provider-accounts.js';
import type { SealedBox } from './sealed-box.js';

export interface ServiceDeps {
  prisma: PrismaClient;
  pubsub: AppPubSub;
  logger: Logger;
  config: Config;
  sealedBox: SealedBox;
  /** The app's own URL, known once it listens (callbacks point there unless PUBLIC_URL says otherwise). */
  publicUrl: () => string;
  sandbox: () => SandboxAccess | undefined;
}
