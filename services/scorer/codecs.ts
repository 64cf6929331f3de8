// How the scorer reads its inputs and writes its outputs: the schemas it registers, each input's record
// type and partitioner, and each output topic's size limit, read from the log once at start.
import { type SchemaName, selfContainedSchema, typeOf } from '../../schemas';
import type { AvroSerde } from '../shared/serde';
import { type LogAdmin, createPartitionChooser } from '../shared/stream';
import { TOPIC_SCHEMAS, type TopicNames, valueSubject } from '../shared/topics';
import { type DecisionStep, RULE_DECISIONS } from './decisions';
import type { InputDecoding } from './input-decoder';
import { scorerInputs } from './inputs';
import { OutputEncoder } from './output-encoder';

/**
 * 64 KiB: a payment, profile or login record is a few hundred bytes, and every output embeds its
 * input, so an input this size still leaves each output far inside Kafka's default 1 MiB message.
 */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024;

export interface ScorerCodecs {
  readonly encoder: OutputEncoder;
  readonly inputs: ReadonlyMap<string, InputDecoding>;
}

export interface ScorerCodecOptions {
  /** Where the output topics' max.message.bytes is read. */
  readonly admin: Pick<LogAdmin, 'maxMessageBytes'>;
  readonly serde: AvroSerde;
  readonly topics: TopicNames;
  readonly changelog: string;
  /** Partitions of every input topic. */
  readonly partitions: number;
  readonly maxInputBytes?: number;
  /** Who decides payments scored with a feature vector (default: the rules). */
  readonly decisions?: DecisionStep;
}

export async function scorerCodecs({ admin, serde, topics, changelog, partitions, maxInputBytes = DEFAULT_MAX_INPUT_BYTES, decisions = RULE_DECISIONS }: ScorerCodecOptions): Promise<ScorerCodecs> {
  const register = (topic: string, schema: SchemaName) => serde.register(valueSubject(topic), selfContainedSchema(schema));
  const schemaOf = (kind: string): SchemaName => (kind === 'transaction' ? TOPIC_SCHEMAS.transactions : kind === 'profile' ? TOPIC_SCHEMAS.profiles : TOPIC_SCHEMAS.authEvents);
  const choosePartition = createPartitionChooser();
  const inputs = new Map<string, InputDecoding>();
  const inputIds = new Map<string, number>();
  for (const { topic, kind } of scorerInputs(topics)) {
    inputs.set(topic, { kind, readerType: typeOf(schemaOf(kind)), maxInputBytes, partitionOf: (key) => choosePartition(topic, partitions, key) });
    inputIds.set(topic, await register(topic, schemaOf(kind)));
  }
  const ids = {
    scored: await register(topics.scored, TOPIC_SCHEMAS.scored),
    alert: await register(topics.alerts, TOPIC_SCHEMAS.alerts),
    deadLetter: await register(topics.deadLetters, TOPIC_SCHEMAS.deadLetters),
    inputs: inputIds,
  };
  const maxMessageBytes = new Map<string, number>();
  for (const topic of [topics.scored, topics.alerts, topics.deadLetters]) maxMessageBytes.set(topic, await admin.maxMessageBytes(topic));
  return { encoder: new OutputEncoder(serde, topics, ids, changelog, maxMessageBytes, decisions), inputs };
}
