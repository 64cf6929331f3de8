// Where each topic's records go in the database. Every statement takes the batch as one jsonb array
// and maps fields in SQL, so a batch costs a few round trips whatever its size, and the mapping from
// record to columns is written down once. Upserts skip rows whose record is unchanged, so replaying
// the same records writes nothing: `RETURNING` then counts only rows inserted or changed.
import type { Alert, ScoredTransaction, SchemaName } from '../../schemas';
import type { SqlClient } from '../shared/db/migrate';

/** Rows inserted or changed, by table. */
export type RowCounts = Record<string, number>;

export interface RecordSink<T> {
  /** The record type of the topic: records are decoded (and schema-resolved) to it. */
  readonly schema: SchemaName;
  /** The idempotency key: one row per key, whatever the number of deliveries. */
  keyOf(value: T): string;
  /**
   * What a later record with the same key must agree on to replace the row: the payment it is
   * about. A record that differs there is about another payment under a reused id, a conflict
   * kept as a reject, never written over the first.
   */
  identityOf(value: T): unknown;
  /** The keys among `values` whose stored row has another identity. */
  conflicts(tx: SqlClient, values: readonly T[]): Promise<Set<string>>;
  write(tx: SqlClient, values: readonly T[]): Promise<RowCounts>;
}

/** jsonb compares by value, whatever the key order, so identities are compared in SQL. */
function conflictQuery(table: string, key: string, storedIdentity: string): string {
  return `
SELECT t.${key} AS key FROM ${table} AS t JOIN jsonb_array_elements($1::jsonb) AS v ON t.${key} = v->>'key'
WHERE ${storedIdentity} IS DISTINCT FROM v->'identity'`;
}

async function conflicting<T>(tx: SqlClient, sql: string, sink: Pick<RecordSink<T>, 'keyOf' | 'identityOf'>, values: readonly T[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const rows = (await tx.query<{ key: string }>(sql, [JSON.stringify(values.map((v) => ({ key: sink.keyOf(v), identity: sink.identityOf(v) })))])).rows;
  return new Set(rows.map((row) => row.key));
}

const SCORED_CONFLICTS = conflictQuery('scored_transactions', 'transaction_id', "t.record->'transaction'");
/** An alert is about its account and, for a payment's alert, the payment; its decision may change. */
const ALERT_IDENTITY = (record: string) =>
  `jsonb_build_object('accountId', ${record}->'accountId', 'transactionId', ${record}->'transactionId', 'cardId', ${record}->'cardId', 'amountMinor', ${record}->'amountMinor', 'currency', ${record}->'currency')`;
const ALERT_CONFLICTS = conflictQuery('alerts', 'alert_id', ALERT_IDENTITY('t.record'));

const UPSERT_SCORED = `
INSERT INTO scored_transactions
  (transaction_id, account_id, card_id, merchant_id, amount_minor, currency, event_time, score, decision, late, record)
SELECT s->'transaction'->>'transactionId', s->'transaction'->>'accountId', s->'transaction'->>'cardId',
  s->'transaction'->>'merchantId', (s->'transaction'->>'amountMinor')::bigint, s->'transaction'->>'currency',
  (s->'transaction'->>'eventTime')::bigint, (s->>'score')::double precision, s->>'decision', (s->>'late')::boolean, s
FROM jsonb_array_elements($1::jsonb) AS s
ON CONFLICT (transaction_id) DO UPDATE SET
  account_id = EXCLUDED.account_id, card_id = EXCLUDED.card_id, merchant_id = EXCLUDED.merchant_id,
  amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency, event_time = EXCLUDED.event_time,
  score = EXCLUDED.score, decision = EXCLUDED.decision, late = EXCLUDED.late, record = EXCLUDED.record
WHERE scored_transactions.record IS DISTINCT FROM EXCLUDED.record
  AND scored_transactions.record->'transaction' = EXCLUDED.record->'transaction'
RETURNING 1`;

// A record that was re-scored (a newer rule pack) may have lost a hit; the store mirrors the latest record.
const DELETE_STALE_HITS = `
DELETE FROM rule_hits AS h
USING jsonb_array_elements($1::jsonb) AS s
WHERE h.transaction_id = s->'transaction'->>'transactionId'
  AND NOT s->'ruleHits' @> jsonb_build_array(jsonb_build_object('ruleId', h.rule_id))
RETURNING 1`;

const UPSERT_HITS = `
INSERT INTO rule_hits (transaction_id, rule_id, severity, contribution, explanation, evidence, stages, event_time)
SELECT s->'transaction'->>'transactionId', h->>'ruleId', h->>'severity', (h->>'contribution')::double precision,
  h->>'explanation', h->'evidence', h->'stages', (s->'transaction'->>'eventTime')::bigint
FROM jsonb_array_elements($1::jsonb) AS s CROSS JOIN LATERAL jsonb_array_elements(s->'ruleHits') AS h
ON CONFLICT (transaction_id, rule_id) DO UPDATE SET
  severity = EXCLUDED.severity, contribution = EXCLUDED.contribution, explanation = EXCLUDED.explanation,
  evidence = EXCLUDED.evidence, stages = EXCLUDED.stages, event_time = EXCLUDED.event_time
WHERE (rule_hits.severity, rule_hits.contribution, rule_hits.explanation, rule_hits.evidence, rule_hits.stages, rule_hits.event_time)
  IS DISTINCT FROM (EXCLUDED.severity, EXCLUDED.contribution, EXCLUDED.explanation, EXCLUDED.evidence, EXCLUDED.stages, EXCLUDED.event_time)
RETURNING 1`;

const UPSERT_ALERTS = `
INSERT INTO alerts (alert_id, account_id, transaction_id, decision, score, rule_ids, event_time, record)
SELECT a->>'alertId', a->>'accountId', a->>'transactionId', a->>'decision', (a->>'score')::double precision,
  ARRAY(SELECT h->>'ruleId' FROM jsonb_array_elements(a->'ruleHits') AS h), (a->>'eventTime')::bigint, a
FROM jsonb_array_elements($1::jsonb) AS a
ON CONFLICT (alert_id) DO UPDATE SET
  account_id = EXCLUDED.account_id, transaction_id = EXCLUDED.transaction_id, decision = EXCLUDED.decision,
  score = EXCLUDED.score, rule_ids = EXCLUDED.rule_ids, event_time = EXCLUDED.event_time, record = EXCLUDED.record
WHERE alerts.record IS DISTINCT FROM EXCLUDED.record
  AND ${ALERT_IDENTITY('alerts.record')} = ${ALERT_IDENTITY('EXCLUDED.record')}
RETURNING 1`;

async function count(tx: SqlClient, sql: string, values: readonly unknown[]): Promise<number> {
  return (await tx.query(sql, [JSON.stringify(values)])).rows.length;
}

export const scoredTransactionSink: RecordSink<ScoredTransaction> = {
  schema: 'ScoredTransaction',
  keyOf: (scored) => scored.transaction.transactionId,
  identityOf: (scored) => scored.transaction,
  conflicts(tx, values) {
    return conflicting(tx, SCORED_CONFLICTS, this, values);
  },
  async write(tx, values) {
    // Transactions first: rule hits reference them.
    const scored = await count(tx, UPSERT_SCORED, values);
    const stale = await count(tx, DELETE_STALE_HITS, values);
    const hits = await count(tx, UPSERT_HITS, values);
    return { scored_transactions: scored, rule_hits: stale + hits };
  },
};

export const alertSink: RecordSink<Alert> = {
  schema: 'Alert',
  keyOf: (alert) => alert.alertId,
  identityOf: ({ accountId, transactionId, cardId, amountMinor, currency }) => ({ accountId, transactionId, cardId, amountMinor, currency }),
  conflicts(tx, values) {
    return conflicting(tx, ALERT_CONFLICTS, this, values);
  },
  async write(tx, values) {
    return { alerts: await count(tx, UPSERT_ALERTS, values) };
  },
};
