// How long the fraud store keeps what it stores. Ages are event time behind the newest stored record
// (event time is the pipeline's only clock: a replay of last month is kept as a live month would be),
// and a pass runs every so often on PostgreSQL and PGlite alike. PGlite has no autovacuum worker and
// no checkpointer, so there the pass also makes the freed space reusable and lets the WAL recycle.
import { Counter, type Registry } from 'prom-client';
import { parseDuration } from '../shared/cli';
import { type Env, envInt, envString } from '../shared/env';
import type { Logger } from '../shared/log';
import type { StoreDatabase } from './database';

export interface StoreRetention {
  /** Event time a scored transaction (and its rule hits) is kept, behind the newest one stored. */
  readonly scoredMs: number;
  /** The most scored transactions kept, oldest removed first; Infinity for no limit. */
  readonly scoredMaxRows: number;
  /** Event time an alert is kept: longer, as the queue and its investigations work from alerts. */
  readonly alertMs: number;
}

const DAY_MS = 86_400_000;

/** A database on disk: a week of scored transactions, 90 days of alerts. */
export const DEFAULT_STORE_RETENTION: StoreRetention = { scoredMs: 7 * DAY_MS, scoredMaxRows: Infinity, alertMs: 90 * DAY_MS };
/**
 * The embedded database held in memory: a scored transaction takes about 2.3 KB there (row, rule
 * hits, indexes), so the newest 50,000 (about half an hour at `npm start`'s default rate) keep it
 * near 120 MB whatever the rate.
 */
export const IN_MEMORY_STORE_RETENTION: StoreRetention = { ...DEFAULT_STORE_RETENTION, scoredMaxRows: 50_000 };
export const DEFAULT_RETENTION_EVERY_MS = 30_000;

/** The policy from STORE_SCORED_RETENTION, STORE_SCORED_MAX_ROWS and STORE_ALERT_RETENTION, over `defaults`. */
export function retentionFromEnv(env: Env, defaults: StoreRetention): StoreRetention {
  const duration = (name: string, fallback: number) => {
    const text = envString(env, name, '');
    return text === '' ? fallback : parseDuration(text, name);
  };
  return {
    scoredMs: duration('STORE_SCORED_RETENTION', defaults.scoredMs),
    scoredMaxRows: envString(env, 'STORE_SCORED_MAX_ROWS', '') === '' ? defaults.scoredMaxRows : envInt(env, 'STORE_SCORED_MAX_ROWS', 0, { min: 1 }),
    alertMs: duration('STORE_ALERT_RETENTION', defaults.alertMs),
  };
}

export interface RetentionPass {
  readonly scoredRemoved: number;
  readonly alertsRemoved: number;
}

/** Rows deleted per statement: a first pass over a long history never holds one huge transaction. */
const CHUNK_ROWS = 5_000;

/** Removes what the policy no longer keeps; `reclaim` (PGlite) then vacuums and checkpoints. */
export async function applyRetention(db: StoreDatabase, retention: StoreRetention, { reclaim }: { reclaim: boolean }): Promise<RetentionPass> {
  const { rows } = await db.query<{ newest: string | null }>(
    'SELECT greatest((SELECT max(event_time) FROM scored_transactions), (SELECT max(event_time) FROM alerts))::text AS newest',
  );
  let scoredRemoved = 0;
  let alertsRemoved = 0;
  if (rows[0].newest !== null) {
    const newest = Number(rows[0].newest);
    scoredRemoved = await deleteScoredBefore(db, await scoredCutoff(db, newest - retention.scoredMs, retention.scoredMaxRows));
    alertsRemoved = await deleteInChunks(db, 'DELETE FROM alerts WHERE alert_id IN (SELECT alert_id FROM alerts WHERE event_time < $1 LIMIT $2)', [newest - retention.alertMs]);
  }
  if (reclaim) {
    if (scoredRemoved + alertsRemoved > 0) await db.exec('VACUUM scored_transactions, rule_hits, alerts');
    // Without a checkpoint PGlite keeps every WAL segment written since it started.
    await db.exec('CHECKPOINT');
  }
  return { scoredRemoved, alertsRemoved };
}

type Position = readonly [eventTime: number, transactionId: string];

/** The first (event time, id) kept: the later of what the age keeps and what the row limit keeps. */
async function scoredCutoff(db: StoreDatabase, oldestKept: number, maxRows: number): Promise<Position> {
  const byAge: Position = [oldestKept, ''];
  if (!Number.isFinite(maxRows)) return byAge;
  const { rows } = await db.query<{ event_time: string; transaction_id: string }>(
    'SELECT event_time, transaction_id FROM scored_transactions ORDER BY event_time DESC, transaction_id DESC OFFSET $1 LIMIT 1',
    [maxRows - 1],
  );
  if (rows.length === 0) return byAge;
  const byRows: Position = [Number(rows[0].event_time), rows[0].transaction_id];
  return byRows[0] > byAge[0] ? byRows : byAge;
}

function deleteScoredBefore(db: StoreDatabase, [eventTime, transactionId]: Position): Promise<number> {
  // Rule hits go with their transaction (ON DELETE CASCADE).
  return deleteInChunks(
    db,
    `DELETE FROM scored_transactions WHERE transaction_id IN (
       SELECT transaction_id FROM scored_transactions WHERE (event_time, transaction_id) < ($1, $3) ORDER BY event_time, transaction_id LIMIT $2)`,
    [eventTime, transactionId],
  );
}

async function deleteInChunks(db: StoreDatabase, sql: string, [first, ...rest]: unknown[]): Promise<number> {
  let removed = 0;
  for (;;) {
    const { rows } = await db.query<{ n: string }>(`WITH removed AS (${sql} RETURNING 1) SELECT count(*)::text AS n FROM removed`, [first, CHUNK_ROWS, ...rest]);
    const n = Number(rows[0].n);
    removed += n;
    if (n < CHUNK_ROWS) return removed;
  }
}

export interface RetentionOptions {
  readonly db: StoreDatabase;
  readonly retention: StoreRetention;
  /** True for PGlite: see applyRetention. */
  readonly reclaim: boolean;
  /** Wall-clock time between passes (default DEFAULT_RETENTION_EVERY_MS). */
  readonly everyMs?: number;
  readonly metrics: Registry;
  readonly logger: Logger;
}

export interface RunningRetention {
  /** Waits for a pass under way, then runs no more; idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs a pass now and then every `everyMs` after the last one ended. A pass that fails (the database
 * away) is logged and tried again at the next turn: retention can wait, ingestion must not.
 */
export function startRetention({ db, retention, reclaim, everyMs = DEFAULT_RETENTION_EVERY_MS, metrics, logger }: RetentionOptions): RunningRetention {
  const removed = new Counter({ name: 'fraud_store_rows_removed_total', help: 'Rows removed by the retention policy, by table', labelNames: ['table'], registers: [metrics] });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      const { scoredRemoved, alertsRemoved } = await applyRetention(db, retention, { reclaim });
      removed.inc({ table: 'scored_transactions' }, scoredRemoved);
      removed.inc({ table: 'alerts' }, alertsRemoved);
      if (scoredRemoved + alertsRemoved > 0) logger.debug({ scoredRemoved, alertsRemoved }, 'retention pass');
    } catch (error) {
      logger.warn({ err: error }, 'retention pass failed; trying again at the next turn');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, everyMs);
    timer.unref();
  };
  running = pass().finally(schedule);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
