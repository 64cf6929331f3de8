// Writes one decoded batch in one database transaction: the upserts and the rejects commit together
// or not at all, so the consumer may commit the batch's offsets exactly when this resolves.
import { isDeepStrictEqual } from 'node:util';
import type { SqlClient } from '../shared/db/migrate';
import type { LogRecord } from '../shared/stream';
import { isRecordFault, type StoreDatabase } from './database';
import { RejectReason, writeRejects, type Reject } from './rejects';
import type { RecordSink, RowCounts } from './sinks';

export interface Decoded<T> {
  readonly record: LogRecord;
  readonly value: T;
}

export interface StoredBatch {
  readonly rows: RowCounts;
  /** Every record rejected in this batch (undecodable ones included), replays of old rejects too. */
  readonly rejects: readonly Reject[];
}

/**
 * Stores `decoded` through `sink` and `rejects` in one transaction. If the database refuses a record's
 * values, the batch is written again in one transaction with a savepoint around each record, so the
 * faulty records become rejects and the rest is stored: a bad record never blocks its partition.
 * Any other failure (the database is unreachable) is thrown, and nothing of the batch is committed.
 */
export async function storeBatch<T>(
  db: StoreDatabase,
  sink: RecordSink<T>,
  decoded: readonly Decoded<T>[],
  rejects: readonly Reject[],
): Promise<StoredBatch> {
  const { latest, contested } = latestPerKey(sink, decoded);
  try {
    return await db.transaction(async (tx) => {
      const { writable, conflicts } = await withoutConflicts(tx, sink, latest);
      const all = [...rejects, ...contested, ...conflicts];
      const rows = writable.length > 0 ? await sink.write(tx, writable.map((d) => d.value)) : {};
      await writeRejects(tx, all);
      return { rows, rejects: all };
    });
  } catch (error) {
    if (!isRecordFault(error)) throw error;
    return db.transaction(async (tx) => {
      const { writable, conflicts } = await withoutConflicts(tx, sink, latest);
      return storeRecordByRecord(tx, sink, writable, [...rejects, ...contested, ...conflicts]);
    });
  }
}

/** Records whose key holds a row about another payment become rejects; the rest may be written. */
async function withoutConflicts<T>(tx: SqlClient, sink: RecordSink<T>, decoded: readonly Decoded<T>[]): Promise<{ writable: Decoded<T>[]; conflicts: Reject[] }> {
  const keys = await sink.conflicts(tx, decoded.map((d) => d.value));
  if (keys.size === 0) return { writable: [...decoded], conflicts: [] };
  return {
    writable: decoded.filter((d) => !keys.has(sink.keyOf(d.value))),
    conflicts: decoded.filter((d) => keys.has(sink.keyOf(d.value))).map(({ record, value }) => conflictReject(sink, record, value)),
  };
}

function conflictReject<T>(sink: RecordSink<T>, record: LogRecord, value: T): Reject {
  return { record, reason: RejectReason.Conflict, detail: `${sink.keyOf(value)} is stored already for another payment; the first one stands` };
}

async function storeRecordByRecord<T>(
  tx: SqlClient,
  sink: RecordSink<T>,
  decoded: readonly Decoded<T>[],
  rejects: readonly Reject[],
): Promise<StoredBatch> {
  const rows: RowCounts = {};
  const refused: Reject[] = [];
  for (const { record, value } of decoded) {
    await tx.exec('SAVEPOINT store_record');
    try {
      for (const [table, n] of Object.entries(await sink.write(tx, [value]))) rows[table] = (rows[table] ?? 0) + n;
      await tx.exec('RELEASE SAVEPOINT store_record');
    } catch (error) {
      if (!isRecordFault(error)) throw error;
      await tx.exec('ROLLBACK TO SAVEPOINT store_record');
      refused.push({ record, reason: RejectReason.RefusedByDatabase, detail: (error as Error).message });
    }
  }
  const all = [...rejects, ...refused];
  await writeRejects(tx, all);
  return { rows, rejects: all };
}

// A key twice in one upsert statement is an error in PostgreSQL ("cannot affect row a second time");
// the later delivery is the one the log would leave in place, so it wins, unless it is about another
// payment: then the first stands and the later one is contested.
function latestPerKey<T>(sink: RecordSink<T>, decoded: readonly Decoded<T>[]): { latest: Decoded<T>[]; contested: Reject[] } {
  const byKey = new Map<string, Decoded<T>>();
  const contested: Reject[] = [];
  for (const d of decoded) {
    const key = sink.keyOf(d.value);
    const earlier = byKey.get(key);
    if (earlier !== undefined && !isDeepStrictEqual(sink.identityOf(earlier.value), sink.identityOf(d.value))) {
      contested.push(conflictReject(sink, d.record, d.value));
      continue;
    }
    byKey.delete(key);
    byKey.set(key, d);
  }
  return { latest: [...byKey.values()], contested };
}
