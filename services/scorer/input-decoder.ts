// Turns consumed bytes into the engine's SourceRecords. Every record leaves as exactly one of: a
// SourceRecord, or a DeadLetter with the reason. The only exception is a registry outage: the record
// is fine and must be retried, so that error is thrown and the batch is consumed again.
import type { Type } from 'avsc';
import type { EventKind, SourceRecord } from '../../cep';
import type { DeadLetter } from '../../schemas';
import type { AvroSerde } from '../shared/serde';
import type { LogRecord } from '../shared/stream';
import { validateInput } from './validation';

/** Reasons of records the decoder refuses before reading their values. */
export const InputRecordReason = {
  /** Larger than the scorer accepts (`MAX_INPUT_BYTES`); the dead letter keeps the value's first bytes. */
  RecordTooLarge: 'RECORD_TOO_LARGE',
  /** Its key hashes to another partition than the one it was written to: its account's state lives elsewhere. */
  WrongPartition: 'WRONG_PARTITION',
} as const;

export interface InputDecoding {
  readonly kind: EventKind;
  /** The topic's record type: a value written with another type is refused, a compatible version resolved to it. */
  readonly readerType: Type;
  /** Values above this size are dead letters: no payment record comes near it, and outputs embed the input. */
  readonly maxInputBytes: number;
  /** The partition a key belongs on (the producers' partitioner over the input's partition count). */
  readonly partitionOf: (key: Buffer) => number;
}

export interface DecodedInputs {
  readonly records: SourceRecord[];
  readonly deadLetters: DeadLetter[];
}

export function deadLetterOf(record: Pick<LogRecord, 'topic' | 'partition' | 'offset' | 'key' | 'value'>, reason: string, detail: string): DeadLetter {
  return {
    sourceTopic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value: record.value,
    reason,
    detail,
  };
}

/** Why the scorer refuses a record before decoding it, or null. */
function framingProblem(record: LogRecord, decoding: InputDecoding): DeadLetter | null {
  const size = record.value?.length ?? 0;
  if (size > decoding.maxInputBytes) {
    // The whole value would not fit the dead-letter topic either; it stays in the input topic.
    const value = record.value!.subarray(0, decoding.maxInputBytes);
    return deadLetterOf({ ...record, value }, InputRecordReason.RecordTooLarge, `value of ${size} bytes exceeds the ${decoding.maxInputBytes} the scorer accepts; its first ${decoding.maxInputBytes} bytes are kept here`);
  }
  if (record.key !== null && record.key.length > 0) {
    const owner = decoding.partitionOf(record.key);
    if (owner !== record.partition) {
      return deadLetterOf(record, InputRecordReason.WrongPartition, `key "${record.key.toString('utf8')}" belongs on partition ${owner}, not ${record.partition}: another task owns its account`);
    }
  }
  return null;
}

type InputValue = Readonly<Record<string, unknown>>;

function eventTimeOf(kind: EventKind, value: InputValue): unknown {
  // A profile version's event time is when it became valid: the temporal join is keyed by it.
  return kind === 'profile' ? value.updatedAt : value.eventTime;
}

export async function decodeInputs(decoding: InputDecoding, records: readonly LogRecord[], serde: AvroSerde): Promise<DecodedInputs> {
  const decoded: SourceRecord[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const refused = framingProblem(record, decoding);
    if (refused !== null) {
      deadLetters.push(refused);
      continue;
    }
    const result = await serde.decode<InputValue>(record.value, { readerSchema: decoding.readerType });
    if (!result.ok) {
      if (result.error.retriable) throw result.error;
      deadLetters.push(deadLetterOf(record, result.error.code, result.error.message));
      continue;
    }
    const key = record.key === null ? null : record.key.toString('utf8');
    const invalid = validateInput(decoding.kind, key, result.value);
    if (invalid !== null) {
      deadLetters.push(deadLetterOf(record, invalid.reason, invalid.detail));
      continue;
    }
    decoded.push({
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key,
      eventTime: eventTimeOf(decoding.kind, result.value) as number,
      value: result.value,
    });
  }
  return { records: decoded, deadLetters };
}
