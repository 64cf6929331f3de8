// `npm run db:migrate`: applies the fraud store's migrations to DATABASE_URL.
import { join } from 'node:path';
import { createLogger } from '../log';
import { migrate, readMigrations } from './migrate';
import { asSqlClient, connectPostgres } from './postgres';

export const FRAUD_STORE_MIGRATIONS = join(__dirname, '..', '..', 'fraud-store', 'migrations');

async function main(): Promise<void> {
  const log = createLogger('db-migrate');
  const client = await connectPostgres();
  try {
    const result = await migrate(asSqlClient(client), readMigrations(FRAUD_STORE_MIGRATIONS));
    log.info(result, result.applied.length ? 'migrations applied' : 'database already up to date');
  } finally {
    await client.end();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
