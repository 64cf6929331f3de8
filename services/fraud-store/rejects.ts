// Records the store could not keep, written to store_rejects byte for byte with the reason, in the
// same transaction as the batch they came from.
import type { SqlClient } from '../shared/db/migrate';
import type { LogRecord } from '../shared/stream';

export const RejectReason = {
  /** The database refused the record's values (a constraint, a duplicate rule id, an absurd value). */
  RefusedByDatabase: 'REFUSED_BY_DATABASE',
  /** A record under a key stored already for another payment (a reused transaction id): the first one stands. */
  Conflict: 'CONFLICTING_TRANSACTION',
} as const;

export interface Reject {
  readonly record: LogRecord;
  /** A DecodeErrorCode, or one of RejectReason. */
  readonly reason: string;
  readonly detail: string;
}

const INSERT_REJECTS = `
INSERT INTO store_rejects (topic, partition, "offset", reason, detail, record_key, record_value)
SELECT r->>'topic', (r->>'partition')::integer, (r->>'offset')::bigint, r->>'reason', r->>'detail',
  decode(r->>'key', 'base64'), decode(r->>'value', 'base64')
FROM jsonb_array_elements($1::jsonb) AS r
ON CONFLICT (topic, partition, "offset") DO NOTHING
RETURNING 1`;

/** Resolves with the number of rejects that were new (a replayed reject is already there). */
export async function writeRejects(tx: SqlClient, rejects: readonly Reject[]): Promise<number> {
  if (rejects.length === 0) return 0;
  const rows = rejects.map(({ record, reason, detail }) => ({
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    reason,
    detail,
    key: record.key?.toString('base64') ?? null,
    value: record.value?.toString('base64') ?? null,
  }));
  return (await tx.query(INSERT_REJECTS, [JSON.stringify(rows)])).rows.length;
}
