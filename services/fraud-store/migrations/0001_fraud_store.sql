-- Scored transactions, their rule hits and alerts. Rows are keyed by the transaction id so that a
-- replay of fraud.scored upserts instead of duplicating (exactly-once at the database edge).
CREATE TABLE scored_transactions (
  transaction_id text PRIMARY KEY,
  account_id text NOT NULL,
  card_id text NOT NULL,
  merchant_id text NOT NULL,
  mcc text NOT NULL,
  amount_minor bigint NOT NULL,
  currency char(3) NOT NULL,
  country char(2) NOT NULL,
  channel text NOT NULL,
  event_time timestamptz NOT NULL,
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  decision text NOT NULL CHECK (decision IN ('APPROVE', 'REVIEW', 'DECLINE')),
  late boolean NOT NULL,
  signals text[] NOT NULL DEFAULT '{}',
  record jsonb NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL
);
CREATE INDEX scored_transactions_account_time ON scored_transactions (account_id, event_time DESC);
CREATE INDEX scored_transactions_decision_time ON scored_transactions (decision, event_time DESC) WHERE decision <> 'APPROVE';

CREATE TABLE rule_hits (
  transaction_id text NOT NULL REFERENCES scored_transactions (transaction_id) ON DELETE CASCADE,
  rule_id text NOT NULL,
  severity text NOT NULL,
  contribution double precision NOT NULL,
  explanation text NOT NULL,
  evidence jsonb NOT NULL,
  event_time timestamptz NOT NULL,
  PRIMARY KEY (transaction_id, rule_id)
);
CREATE INDEX rule_hits_rule_time ON rule_hits (rule_id, event_time DESC);
