// Turns consumed bytes into the engine's SourceRecords. Every record leaves as exactly one of: a
// SourceRecord, or a DeadLetter with the reason. The only exception is a registry outage: the record
// is fine and must be retried, so that error is thrown and the batch is consumed again.
import type { EventKind, SourceRecord } from '../../cep';
import type { AccountProfile, AuthEvent, DeadLetter, Transaction } from '../../schemas';
import type { AvroSerde } from '../shared/serde';
import type { LogRecord } from '../shared/stream';
import { validateInput } from './validation';

export interface DecodedInputs {
  readonly records: SourceRecord[];
  readonly deadLetters: DeadLetter[];
}

export function deadLetterOf(record: LogRecord, reason: string, detail: string): DeadLetter {
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

type InputValue = Transaction | AccountProfile | AuthEvent;

function eventTimeOf(kind: EventKind, value: InputValue): number {
  // A profile version's event time is when it became valid: the temporal join is keyed by it.
  return kind === 'profile' ? (value as AccountProfile).updatedAt : (value as Transaction | AuthEvent).eventTime;
}

export async function decodeInputs(kind: EventKind, records: readonly LogRecord[], serde: AvroSerde): Promise<DecodedInputs> {
  const decoded: SourceRecord[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const result = await serde.decode<InputValue>(record.value);
    if (!result.ok) {
      if (result.error.retriable) throw result.error;
      deadLetters.push(deadLetterOf(record, result.error.code, result.error.message));
      continue;
    }
    const key = record.key === null ? null : record.key.toString('utf8');
    const invalid = validateInput(kind, key, result.value);
    if (invalid !== null) {
      deadLetters.push(deadLetterOf(record, invalid.reason, invalid.detail));
      continue;
    }
    decoded.push({
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key,
      eventTime: eventTimeOf(kind, result.value),
      value: result.value,
    });
  }
  return { records: decoded, deadLetters };
}
