// A private schema per test, on PostgreSQL or on PGlite, so that the fraud store's database tests run
// as one contract suite against both: the embedded database must behave as the server does.
// On the shared PostgreSQL server (DATABASE_URL) tests run in parallel, so none may see another's
// tables, and none may stop the server.
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { Client, Pool } from 'pg';
import { openPglite } from '../../shared/db/pglite';
import { asSqlClient } from '../../shared/db/postgres';
import { createLogger } from '../../shared/log';
import { poolDatabase, type StoreDatabase } from '../database';
import { migrateStore } from '../schema';

export type DatabaseKind = 'postgres' | 'pglite';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['postgres', 'pglite'];

export interface TestDatabase {
  readonly schema: string;
  /** A store database on the test schema, through `via` (host:port, e.g. a proxy; PostgreSQL only) when given. */
  connect(via?: { host: string; port: number }): StoreDatabase;
  /** Queries the test schema directly, never through a proxy. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Ends every connection it handed out and drops the schema. */
  drop(): Promise<void>;
}

export function createTestDatabase(kind: DatabaseKind = 'postgres'): Promise<TestDatabase> {
  const schema = `fraud_store_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return kind === 'postgres' ? postgresSchema(schema) : pgliteSchema(schema);
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: integration tests need the database named by the global setup');
  return url;
}

async function postgresSchema(schema: string): Promise<TestDatabase> {
  const options = `-c search_path=${schema}`;
  const admin = new Client({ connectionString: databaseUrl(), options });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await migrateStore(asSqlClient(admin));
  const pools: Pool[] = [];
  const logger = createLogger('fraud-store-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  return {
    schema,
    connect(via) {
      // The URL's host and port would override separate ones, so the proxy goes into the URL.
      const url = new URL(databaseUrl());
      if (via) {
        url.hostname = via.host;
        url.port = String(via.port);
      }
      const pool = new Pool({ connectionString: url.toString(), options, max: 4, connectionTimeoutMillis: 2_000 });
      pools.push(pool);
      return poolDatabase(pool, logger);
    },
    async query<R>(sql: string, params?: unknown[]) {
      return (await admin.query(sql, params)).rows as R[];
    },
    async drop() {
      await Promise.all(pools.map((p) => p.end()));
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

// Starting PGlite takes seconds, so a test file's tests share one instance: jest loads this module
// once per test file, and this hook closes the instance after the file's last test.
let engine: Promise<PGlite> | undefined;
afterAll(async () => {
  const closing = engine;
  engine = undefined;
  await (await closing)?.close();
});

async function pgliteSchema(schema: string): Promise<TestDatabase> {
  engine ??= openPglite();
  const db = await engine;
  // PGlite is a single session, and a file's tests run one after another: the schema of the test
  // that runs is the session's search path.
  await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  await migrateStore(db);
  return {
    schema,
    connect(via) {
      if (via) throw new Error('PGlite runs in process: there is no connection to route through a proxy');
      return db;
    },
    async query<R>(sql: string, params?: unknown[]) {
      return (await db.query<R>(sql, params)).rows;
    },
    async drop() {
      await db.exec(`DROP SCHEMA ${schema} CASCADE; SET search_path TO public`);
    },
  };
}
