// Prisma CLI configuration. The running server never reads this file: it builds
// its client from src/db/client.ts (PGlite or PostgreSQL driver adapter).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
