// The database handle of the fraud store. It is the SqlClient the migrations use, plus transactions,
// so that PostgreSQL (a pg Pool) and the embedded database (PGlite, whose `transaction` has the same
// shape) can both sit behind it. SQL in this service stays plain PostgreSQL that PGlite also runs.
import type { Pool, PoolClient } from 'pg';
import type { SqlClient } from '../shared/db/migrate';
import type { Logger } from '../shared/log';

export interface StoreDatabase extends SqlClient {
  /** Runs `work` between BEGIN and COMMIT on one connection; rolls back and rethrows if anything fails. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

function sqlClientOf(client: Pool | PoolClient): SqlClient {
  return {
    query: async (sql, params) => client.query(sql, params as unknown[]) as never,
    exec: (sql) => client.query(sql),
  };
}

/**
 * A pg Pool as a StoreDatabase. The pool replaces connections that broke, which is what lets the
 * store ride out a database restart: after an outage, the next checkout connects afresh.
 */
export function poolDatabase(pool: Pool, logger: Logger): StoreDatabase {
  // A connection that breaks while idle in the pool is reported here; without a listener, Node would
  // treat the 'error' event as fatal and end the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  return {
    ...sqlClientOf(pool),
    async transaction(work) {
      const client = await pool.connect();
      // Same reason as the pool's listener: the connection may break between two statements.
      const onError = (error: Error) => logger.warn({ err: error }, 'database connection lost in a transaction');
      client.on('error', onError);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(sqlClientOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not given back to the pool for reuse.
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          () => error as Error,
        );
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
  };
}

// SQLSTATE classes that blame the statement's data: 21 (cardinality, e.g. a rule twice in one record),
// 22 (data exception), 23 (integrity constraint) and 54 (program limit, e.g. an id too long to index).
const RECORD_FAULT_CLASSES = new Set(['21', '22', '23', '54']);

/**
 * True when the database answered that a record's values cannot be stored, so retrying the same
 * record is pointless. Any other failure (a lost connection, a timeout, a server shutting down, a
 * missing grant) may heal without a change to the record, so the caller waits and retries instead.
 * pg and PGlite both report the server's answer as an error with `severity` and a SQLSTATE `code`.
 */
export function isRecordFault(error: unknown): boolean {
  const { severity, code } = (error ?? {}) as { severity?: unknown; code?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && RECORD_FAULT_CLASSES.has(code.slice(0, 2));
}
