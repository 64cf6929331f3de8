// The embedded database of `npm start`: PostgreSQL compiled to WebAssembly (PGlite), in process. It
// runs the same SQL as the server; its results are shaped as node-postgres shapes them (int8 as a
// decimal string, bytea as a Buffer), so code and tests see the same values from either database.
import { PGlite, types } from '@electric-sql/pglite';

/** In memory without `dataDir`; a directory keeps the database across restarts. */
export function openPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create(dataDir, {
    // PGlite has no checkpointer: WAL accumulates (in memory, without `dataDir`) until a CHECKPOINT,
    // which then keeps only this much for reuse instead of PostgreSQL's default of up to 1 GB.
    postgresqlconf: ['max_wal_size = 32MB', 'min_wal_size = 32MB'],
    parsers: {
      // int8 can exceed Number.MAX_SAFE_INTEGER; pg leaves it to the caller, and so does this.
      [types.INT8]: (text: string) => text,
      // bytea arrives in PostgreSQL's hex output format, `\x` then two digits per byte.
      [types.BYTEA]: (text: string) => Buffer.from(text.slice(2), 'hex'),
    },
  });
}
