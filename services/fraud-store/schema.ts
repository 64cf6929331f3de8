// The fraud store's tables come from its migrations, through the one mechanism of services/shared/db.
import { join } from 'node:path';
import { migrate, readMigrations, type MigrationResult, type SqlClient } from '../shared/db/migrate';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/** Brings the database up to date. Needs one connection: migrations use session-level locks and BEGIN. */
export function migrateStore(db: SqlClient): Promise<MigrationResult> {
  return migrate(db, readMigrations(MIGRATIONS_DIR));
}
