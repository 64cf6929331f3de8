-- The fraud store: scored transactions, their rule hits, alerts, and the records it could not store.
-- Rows are keyed by the ids the scorer derives deterministically (transaction id, alert id), so a
-- replay of fraud.scored or fraud.alerts upserts instead of duplicating (exactly-once at the database
-- edge). Times are epoch milliseconds (bigint), as on every record of the pipeline, and money is
-- integer minor units. `record` keeps the whole decoded record: the API serves it as the explanation,
-- while the columns exist for filtering and ordering.
CREATE TABLE scored_transactions (
  transaction_id text PRIMARY KEY,
  account_id text NOT NULL,
  card_id text NOT NULL,
  merchant_id text NOT NULL,
  amount_minor bigint NOT NULL,
  currency char(3) NOT NULL,
  event_time bigint NOT NULL,
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  decision text NOT NULL CHECK (decision IN ('APPROVE', 'REVIEW', 'DECLINE')),
  late boolean NOT NULL,
  record jsonb NOT NULL
);
-- The account timeline walks (event_time, transaction_id) per account.
CREATE INDEX scored_transactions_account_time ON scored_transactions (account_id, event_time, transaction_id);

-- One row per transaction and rule that fired, for SQL analysis of rule behaviour.
CREATE TABLE rule_hits (
  transaction_id text NOT NULL REFERENCES scored_transactions (transaction_id) ON DELETE CASCADE,
  rule_id text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
  contribution double precision NOT NULL,
  explanation text NOT NULL,
  evidence jsonb NOT NULL,
  stages jsonb NOT NULL,
  event_time bigint NOT NULL,
  PRIMARY KEY (transaction_id, rule_id)
);

CREATE TABLE alerts (
  alert_id text PRIMARY KEY,
  account_id text NOT NULL,
  -- null for an account-level alert that completed on a non-payment event
  transaction_id text,
  decision text NOT NULL CHECK (decision IN ('APPROVE', 'REVIEW', 'DECLINE')),
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  rule_ids text[] NOT NULL,
  event_time bigint NOT NULL,
  record jsonb NOT NULL
);
-- The alert queue pages newest first by (event_time, alert_id), optionally for one decision.
CREATE INDEX alerts_time ON alerts (event_time DESC, alert_id DESC);
CREATE INDEX alerts_decision_time ON alerts (decision, event_time DESC, alert_id DESC);
-- `rule_ids @> ARRAY[rule]` for the queue filtered by rule.
CREATE INDEX alerts_rule_ids ON alerts USING gin (rule_ids);
CREATE INDEX alerts_account_time ON alerts (account_id, event_time, alert_id);
CREATE INDEX alerts_transaction ON alerts (transaction_id) WHERE transaction_id IS NOT NULL;

-- Records that could not be stored (undecodable, or refused by a constraint), byte for byte with the
-- reason: nothing read from the log disappears without a trace. Keyed by log position so that a
-- replay of the same records adds nothing.
CREATE TABLE store_rejects (
  topic text NOT NULL,
  partition integer NOT NULL,
  "offset" bigint NOT NULL,
  reason text NOT NULL,
  detail text NOT NULL,
  record_key bytea,
  record_value bytea,
  rejected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, "offset")
);
