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

/**
 * Registers the four value schemas (in a fixed order, so a fresh registry hands out the same ids).
 * A keyless record is given its partition, round robin from 0 per topic, as the in-memory log would
 * choose it: kafkajs starts its round robin at a random partition, and a seed must publish the same
 * records at the same offsets on every run.
 */
export async function createRecordEncoder(serde: AvroSerde, topics: TopicNames, partitions: number): Promise<RecordEncoder> {
  const schemaIds = {} as Record<RecordKind, number>;
  for (const kind of Object.keys(SCHEMA_OF) as RecordKind[]) {
    schemaIds[kind] = await serde.register(valueSubject(topicOf(topics, kind)), selfContainedSchema(SCHEMA_OF[kind]));
  }
  const keyless = new Map<string, number>();
  return {
    async encode(record) {
      const framed = await serde.encode(schemaIds[record.kind], record.value);
      const topic = topicOf(topics, record.kind);
      const value = record.malformed ? corruptBytes(record.malformed, framed, record.value) : framed;
      if (record.key !== null) return { topic, key: Buffer.from(record.key), value, timestamp: record.timestamp };
      const next = keyless.get(topic) ?? 0;
      keyless.set(topic, next + 1);
      return { topic, key: null, value, timestamp: record.timestamp, partition: next % partitions };
    },
  };
}
