-- Retention removes the oldest scored transactions first and finds the newest event time: both walk
-- this index instead of scanning the table.
CREATE INDEX scored_transactions_time ON scored_transactions (event_time, transaction_id);
