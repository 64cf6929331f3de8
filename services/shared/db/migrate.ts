// Ordered SQL migrations, the one mechanism every database of Peregrine uses (PostgreSQL in
// production and tests, the embedded database in `npm start`). Files are `NNNN_name.sql`; each runs
// once, in its own transaction, and an applied file that later changes is an error, not a re-run.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The subset of a SQL client that migrations need; pg's Client/Pool and PGlite both provide it. */
export interface SqlClient {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs a script of several statements (pg: simple query protocol; PGlite: exec). */
  exec(sql: string): Promise<unknown>;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE.exec(file);
      if (!m) throw new Error(`Migration file "${file}" in ${dir} is not named NNNN_name.sql`);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(m[1]), name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations in ${dir} must be numbered 0001, 0002, ... without gaps; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}

// Serialises concurrent migrators (several store instances starting at once) on one database.
const LOCK_ID = 0x7065726567; // "pereg"

export interface MigrationResult {
  applied: string[];
  current: number;
}

export async function migrate(db: SqlClient, migrations: Migration[]): Promise<MigrationResult> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    const { rows } = await db.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const [version, row] of done) {
      const file = migrations.find((m) => m.version === version);
      if (!file) throw new Error(`Database has migration ${version} (${row.name}) that this code does not know; is the code older than the database?`);
      if (file.checksum !== row.checksum) throw new Error(`Migration ${version} (${row.name}) changed after it was applied; add a new migration instead`);
    }
    const applied: string[] = [];
    for (const m of migrations.filter((x) => !done.has(x.version))) {
      await db.exec('BEGIN');
      try {
        await db.exec(m.sql);
        await db.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await db.exec('COMMIT');
      } catch (err) {
        await db.exec('ROLLBACK');
        throw new Error(`Migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
    }
    return { applied, current: migrations.length };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
  }
}
