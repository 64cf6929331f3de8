// Opens the fraud store's database with its schema up to date: PostgreSQL for the services, PGlite
// for the embedded mode. The caller owns the handle and closes it after everything that uses it.
import { mkdirSync } from 'node:fs';
import { Pool } from 'pg';
import { openPglite } from '../shared/db/pglite';
import { asSqlClient, connectPostgres } from '../shared/db/postgres';
import type { Logger } from '../shared/log';
import { poolDatabase, type StoreDatabase } from './database';
import { migrateStore } from './schema';

export interface OpenStoreDatabase {
  readonly db: StoreDatabase;
  /** True for PGlite, which has neither autovacuum nor a checkpointer: retention reclaims space itself. */
  readonly reclaim: boolean;
  close(): Promise<void>;
}

export async function openPostgresStore(url: string, logger: Logger): Promise<OpenStoreDatabase> {
  // Migrations take session-level locks and run BEGIN themselves: one dedicated connection.
  const migrator = await connectPostgres(url);
  try {
    logger.info(await migrateStore(asSqlClient(migrator)), 'database schema up to date');
  } finally {
    await migrator.end();
  }
  // Bounded waits, so a database that stops answering surfaces as an error the consumer backs off from.
  const pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000, query_timeout: 30_000, keepAlive: true });
  return { db: poolDatabase(pool, logger), reclaim: false, close: () => pool.end() };
}

/** In `dataDir`, kept across restarts; without one, in memory for as long as the process lives. */
export async function openPgliteStore(logger: Logger, dataDir?: string): Promise<OpenStoreDatabase> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const db = await openPglite(dataDir);
  logger.info({ ...(await migrateStore(db)), dataDir: dataDir ?? 'in memory' }, 'embedded database (PGlite) ready');
  return { db, reclaim: true, close: () => db.close() };
}
