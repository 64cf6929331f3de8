// A private schema per test on the shared PostgreSQL server (DATABASE_URL): tests run in parallel
// against one server, so none may see another's tables, and none may stop the server.
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { asSqlClient } from '../../shared/db/postgres';
import { createLogger } from '../../shared/log';
import { poolDatabase, type StoreDatabase } from '../database';
import { migrateStore } from '../schema';

export interface TestDatabase {
  readonly schema: string;
  /** A store database on the test schema, through `via` (host:port, e.g. a proxy) when given. */
  connect(via?: { host: string; port: number }): StoreDatabase;
  /** Queries the test schema directly, never through a proxy. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Ends every pool it handed out and drops the schema. */
  drop(): Promise<void>;
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: integration tests need the database named by the global setup');
  return url;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const schema = `fraud_store_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
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
