import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { migrate, readMigrations } from './migrate';
import { asSqlClient, connectPostgres } from './postgres';

// Each test works in a schema of its own so runs never see each other's tables.
async function freshSchema(client: Client): Promise<string> {
  const schema = `mig_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  return schema;
}

function migrationDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('SQL migrations on PostgreSQL', () => {
  let client: Client;
  let schema: string;
  beforeEach(async () => {
    client = await connectPostgres();
    schema = await freshSchema(client);
  });
  afterEach(async () => {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });

  it('applies pending files in order, once', async () => {
    const dir = migrationDir({
      '0001_accounts.sql': 'CREATE TABLE accounts (id text PRIMARY KEY);',
      '0002_seed.sql': "INSERT INTO accounts VALUES ('a'); ALTER TABLE accounts ADD COLUMN tier text;",
    });
    const db = asSqlClient(client);
    expect(await migrate(db, readMigrations(dir))).toEqual({ applied: ['0001_accounts', '0002_seed'], current: 2 });
    expect(await migrate(db, readMigrations(dir))).toEqual({ applied: [], current: 2 });
    const { rows } = await client.query('SELECT id, tier FROM accounts');
    expect(rows).toEqual([{ id: 'a', tier: null }]);
  });

  it('rolls back a failing migration and leaves earlier ones applied', async () => {
    const dir = migrationDir({
      '0001_ok.sql': 'CREATE TABLE ok (id int);',
      '0002_bad.sql': 'CREATE TABLE half (id int); SELECT * FROM missing_table;',
    });
    await expect(migrate(asSqlClient(client), readMigrations(dir))).rejects.toThrow(/Migration 2 \(bad\) failed: .*missing_table/);
    const { rows } = await client.query("SELECT to_regclass('half') AS half, to_regclass('ok') AS ok");
    expect(rows[0].half).toBeNull();
    expect(rows[0].ok).not.toBeNull();
  });

  it('refuses an applied migration whose file changed', async () => {
    const db = asSqlClient(client);
    await migrate(db, readMigrations(migrationDir({ '0001_t.sql': 'CREATE TABLE t (id int);' })));
    const edited = migrationDir({ '0001_t.sql': 'CREATE TABLE t (id bigint);' });
    await expect(migrate(db, readMigrations(edited))).rejects.toThrow(/changed after it was applied/);
  });

  it('rejects badly named or gapped migration files', () => {
    expect(() => readMigrations(migrationDir({ 'init.sql': 'select 1' }))).toThrow(/not named NNNN_name.sql/);
    expect(() => readMigrations(migrationDir({ '0001_a.sql': 'select 1', '0003_c.sql': 'select 1' }))).toThrow(/without gaps/);
  });

  it("applies the fraud store's own migrations", async () => {
    const dir = join(__dirname, '..', '..', 'fraud-store', 'migrations');
    const result = await migrate(asSqlClient(client), readMigrations(dir));
    expect(result.applied[0]).toBe('0001_fraud_store');
    const { rows } = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual(['alerts', 'rule_hits', 'schema_migrations', 'scored_transactions', 'store_rejects']);
  });
});
