// The reads behind the REST API. Listings use keyset pagination: each page asks for one row more than
// it returns, to know whether a next page exists, and the cursor holds the sort key of its last row.
import type { Alert, ScoredTransaction } from '../../schemas';
import type { SqlClient } from '../shared/db/migrate';
import { alertCursor, timelineCursor, type TimelineEntryType } from './cursor';
import type { AlertQuery, TimelineQuery, TimeRange } from './params';

export interface Page<T> {
  readonly items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface TransactionDetail {
  /** The record as scored, with its explanation: rule hits, their evidence and matched stages, signals. */
  readonly scoredTransaction: ScoredTransaction;
  /** The alerts raised for this transaction, oldest first. */
  readonly alerts: Alert[];
}

export type TimelineEntry =
  | {
      readonly type: 'transaction';
      readonly eventTime: number;
      readonly transactionId: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly merchantId: string;
      readonly channel: string;
      readonly country: string;
      readonly score: number;
      readonly decision: string;
      readonly late: boolean;
      readonly ruleIds: string[];
    }
  | {
      readonly type: 'alert';
      readonly eventTime: number;
      readonly alertId: string;
      readonly transactionId: string | null;
      readonly decision: string;
      readonly score: number;
      readonly summary: string;
      readonly ruleIds: string[];
    };

/** Collects the WHERE conditions of a query and numbers their parameters. */
class Conditions {
  readonly params: unknown[] = [];
  readonly #clauses: string[] = [];

  /** `clause` uses `?` for its parameters, in order. */
  add(clause: string, ...values: unknown[]): this {
    this.#clauses.push(clause.replace(/\?/g, () => `$${this.params.push(values.shift())}`));
    return this;
  }

  range({ from, to }: TimeRange): this {
    if (from !== undefined) this.add('event_time >= ?', from);
    if (to !== undefined) this.add('event_time < ?', to);
    return this;
  }

  get where(): string {
    return this.#clauses.length > 0 ? `WHERE ${this.#clauses.join(' AND ')}` : '';
  }

  /** The parameter reference of a trailing value such as LIMIT. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }
}

/** Alerts newest first, by (event_time, alert_id) descending. */
export async function findAlerts(db: SqlClient, query: AlertQuery): Promise<Page<Alert>> {
  const where = new Conditions().range(query);
  if (query.decision) where.add('decision = ?', query.decision);
  if (query.rule) where.add('rule_ids @> ARRAY[?::text]', query.rule);
  if (query.after) where.add('(event_time, alert_id) < (?::bigint, ?::text)', query.after.eventTime, query.after.alertId);
  const { rows } = await db.query<{ record: Alert }>(
    `SELECT record FROM alerts ${where.where} ORDER BY event_time DESC, alert_id DESC LIMIT ${where.param(query.limit + 1)}`,
    where.params,
  );
  return page(rows.map((r) => r.record), query.limit, (last) => alertCursor.encode({ eventTime: last.eventTime, alertId: last.alertId }));
}

export async function findTransaction(db: SqlClient, transactionId: string): Promise<TransactionDetail | undefined> {
  const [scored, alerts] = await Promise.all([
    db.query<{ record: ScoredTransaction }>('SELECT record FROM scored_transactions WHERE transaction_id = $1', [transactionId]),
    db.query<{ record: Alert }>('SELECT record FROM alerts WHERE transaction_id = $1 ORDER BY event_time, alert_id', [transactionId]),
  ]);
  if (scored.rows.length === 0) return undefined;
  return { scoredTransaction: scored.rows[0].record, alerts: alerts.rows.map((r) => r.record) };
}

// At equal event time a transaction (0) precedes its alerts (1), matching TimelineEntryType's order.
const TYPE_RANK: Record<TimelineEntryType, number> = { transaction: 0, alert: 1 };

/** The account's scored transactions and alerts, oldest first, by (event_time, type, id). */
export async function accountTimeline(db: SqlClient, query: TimelineQuery): Promise<Page<TimelineEntry>> {
  const where = new Conditions().add('account_id = ?', query.accountId).range(query);
  // PostgreSQL pushes these conditions into both branches of the UNION ALL, onto their account indexes.
  if (query.after) {
    const { eventTime, type, id } = query.after;
    where.add('(event_time, rank, id) > (?::bigint, ?::integer, ?::text)', eventTime, TYPE_RANK[type], id);
  }
  const { rows } = await db.query<{ rank: number; record: ScoredTransaction | Alert }>(
    `SELECT rank, record FROM (
       SELECT account_id, event_time, 0 AS rank, transaction_id AS id, record FROM scored_transactions
       UNION ALL
       SELECT account_id, event_time, 1 AS rank, alert_id AS id, record FROM alerts
     ) AS entries
     ${where.where}
     ORDER BY event_time, rank, id
     LIMIT ${where.param(query.limit + 1)}`,
    where.params,
  );
  const entries = rows.map((r) => (r.rank === 0 ? transactionEntry(r.record as ScoredTransaction) : alertEntry(r.record as Alert)));
  return page(entries, query.limit, (last) =>
    timelineCursor.encode({
      eventTime: last.eventTime,
      type: last.type,
      id: last.type === 'transaction' ? last.transactionId : last.alertId,
    }),
  );
}

function transactionEntry({ transaction: tx, score, decision, late, ruleHits }: ScoredTransaction): TimelineEntry {
  return {
    type: 'transaction',
    eventTime: tx.eventTime,
    transactionId: tx.transactionId,
    amountMinor: tx.amountMinor,
    currency: tx.currency,
    merchantId: tx.merchantId,
    channel: tx.channel,
    country: tx.country,
    score,
    decision,
    late,
    ruleIds: ruleHits.map((h) => h.ruleId),
  };
}

function alertEntry(alert: Alert): TimelineEntry {
  const { alertId, transactionId, decision, score, summary, eventTime, ruleHits } = alert;
  return { type: 'alert', eventTime, alertId, transactionId, decision, score, summary, ruleIds: ruleHits.map((h) => h.ruleId) };
}

function page<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: cursorOf(items[items.length - 1]) };
}
