import type { OutgoingRecord } from './types';

/**
 * Kafka's default `max.message.bytes` (broker `message.max.bytes`): the largest record batch a topic
 * accepts, and the in-memory log's limit too, so that a record refused by one is refused by both.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** A v2 record batch's header, then the most a record's framing takes (length, attributes, time and offset deltas, key and value lengths, header count). */
export const BATCH_HEADER_BYTES = 61;
const RECORD_FRAMING_BYTES = 36;

/** What `record` adds to an uncompressed record batch, rounded up. */
export function recordBytes(record: Pick<OutgoingRecord, 'key' | 'value' | 'headers'>): number {
  let bytes = RECORD_FRAMING_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const [name, value] of Object.entries(record.headers ?? {})) bytes += 10 + Buffer.byteLength(name) + value.length;
  return bytes;
}

/**
 * The size of `record` sent alone, as a broker measures it against `max.message.bytes` (a batch of
 * one record, uncompressed), rounded up: a record this function accepts, the broker accepts too.
 */
export function batchBytes(record: Pick<OutgoingRecord, 'key' | 'value' | 'headers'>): number {
  return BATCH_HEADER_BYTES + recordBytes(record);
}
