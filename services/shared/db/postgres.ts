import { Client } from 'pg';
import type { SqlClient } from './migrate';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A pg client seen through the SqlClient interface (pg runs a parameterless multi-statement script as-is). */
export function asSqlClient(client: Client): SqlClient {
  return {
    query: async (sql, params) => client.query(sql, params as unknown[]) as never,
    exec: (sql) => client.query(sql),
  };
}

export async function connectPostgres(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}
