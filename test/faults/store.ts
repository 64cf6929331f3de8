// The fraud store and the dashboard in a fault run: a database of its own per run, reached through a
// proxy the run can cut (the PostgreSQL server is shared), and the check that the database holds
// exactly the scored set, read by Debian's psql rather than the store's own code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TcpProxy } from '../../services/fraud-store/testing/tcp-proxy';

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface RunDatabase {
  readonly name: string;
  /** Through the proxy: what the fraud store is given. */
  readonly url: string;
  readonly proxy: TcpProxy;
  drop(): Promise<void>;
}

function psql(url: string, sql: string): string {
  const env = { ...process.env, PGOPTIONS: '--client-min-messages=warning' };
  return execFileSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', maxBuffer: 256 << 20, env });
}

/** A fresh database named after the run's namespace. */
export async function createRunDatabase(namespace: string): Promise<RunDatabase> {
  const name = namespace.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  psql(BASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(BASE_URL, `CREATE DATABASE ${name}`);
  const base = new URL(BASE_URL);
  const proxy = new TcpProxy({ host: base.hostname, port: Number(base.port || 5432) });
  await proxy.restore();
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  url.host = `127.0.0.1:${proxy.address.port}`;
  return {
    name,
    url: url.toString(),
    proxy,
    async drop() {
      await proxy.cut();
      psql(BASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function direct(db: RunDatabase): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${db.name}`;
  return url.toString();
}

/** Rows of scored_transactions so far; 0 before the store has created its tables. */
export function storedCount(db: RunDatabase): number {
  const out = psql(direct(db), "SELECT CASE WHEN to_regclass('scored_transactions') IS NULL THEN 0 ELSE (SELECT count(*) FROM scored_transactions) END").trim();
  return Number(out);
}

export interface DatabaseCheck {
  readonly rows: number;
  readonly missing: number;
  readonly extra: number;
  readonly examples: string[];
}

/** The database's transaction ids against the scored ids the independent reader wrote to `idsFile`. */
export function checkDatabase(db: RunDatabase, idsFile: string): DatabaseCheck {
  const scored = new Set(readFileSync(idsFile, 'utf8').split('\n').filter((id) => id !== ''));
  const stored = new Set(psql(direct(db), 'SELECT transaction_id FROM scored_transactions').split('\n').filter((id) => id !== ''));
  const missing = [...scored].filter((id) => !stored.has(id));
  const extra = [...stored].filter((id) => !scored.has(id));
  return { rows: stored.size, missing: missing.length, extra: extra.length, examples: [...missing.slice(0, 3).map((id) => `missing ${id}`), ...extra.slice(0, 3).map((id) => `extra ${id}`)] };
}
