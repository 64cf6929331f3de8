// Turns generated records into log records: Avro in the Confluent wire format under TopicNameStrategy
// subjects (`<topic>-value`), key = account id, record timestamp = event time.
import { selfContainedSchema, type SchemaName } from '../../schemas';
import type { AvroSerde } from '../shared/serde';
import type { OutgoingRecord } from '../shared/stream';
import { valueSubject } from '../shared/topics';
import { corruptBytes } from './malformed';
import type { TopicNames } from '../shared/topics';
import { type RecordKind, type SimRecord, topicOf } from './records';

const SCHEMA_OF: Readonly<Record<RecordKind, SchemaName>> = {
  transaction: 'Transaction',
  profile: 'AccountProfile',
  auth: 'AuthEvent',
  label: 'FraudLabel',
};

export interface RecordEncoder {
  encode(record: SimRecord): Promise<OutgoingRecord>;
}

/** Registers the four value schemas (in a fixed order, so a fresh registry hands out the same ids). */
export async function createRecordEncoder(serde: AvroSerde, topics: TopicNames): Promise<RecordEncoder> {
  const schemaIds = {} as Record<RecordKind, number>;
  for (const kind of Object.keys(SCHEMA_OF) as RecordKind[]) {
    schemaIds[kind] = await serde.register(valueSubject(topicOf(topics, kind)), selfContainedSchema(SCHEMA_OF[kind]));
  }
  return {
    async encode(record) {
      const framed = await serde.encode(schemaIds[record.kind], record.value);
      return {
        topic: topicOf(topics, record.kind),
        key: record.key === null ? null : Buffer.from(record.key),
        value: record.malformed ? corruptBytes(record.malformed, framed, record.value) : framed,
        timestamp: record.timestamp,
      };
    },
  };
}
