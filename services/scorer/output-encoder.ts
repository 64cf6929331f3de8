// Frames what a task decided as records for the output topics. Records are stamped with event time,
// never the wall clock, so that a replay sends byte-identical records; the output topics themselves
// are append-time (outputTopicSpecs), so what a reader sees as a record's timestamp is when it was written.
//
// An output that cannot be written (it does not fit its topic's max.message.bytes, or does not match
// its schema) must not fail the transaction that carries it, or the task would fail on it forever:
// the input that produced it becomes a dead letter instead, and the rest of the work goes on.
import type { ChangelogRecord, RejectedRecord, SourceRecord, TaskOutput } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { DeadLetter } from '../../schemas';
import { type AvroSerde, EncodeError } from '../shared/serde';
import { type LogRecord, type OutgoingRecord, batchBytes } from '../shared/stream';
import type { TopicNames } from '../shared/topics';
import type { DecisionStep } from './decisions';
import { deadLetterOf } from './input-decoder';

export interface OutputSchemaIds {
  readonly scored: number;
  readonly alert: number;
  readonly deadLetter: number;
  /** Each input topic's schema, to write a dead letter's value when the original bytes are no longer at hand. */
  readonly inputs: ReadonlyMap<string, number>;
}

/** Dead-letter reasons of inputs whose outputs could not be written. */
export const OutputReason = {
  /** The scored record or alert would exceed its topic's max.message.bytes. */
  OutputTooLarge: 'OUTPUT_TOO_LARGE',
  /** The scored record or alert does not match its schema (a rule wrote a value Avro cannot carry). */
  OutputInvalid: 'OUTPUT_INVALID',
} as const;

/** Consumed records by topic and offset: the original bytes a dead letter keeps. */
export type Originals = ReadonlyMap<string, LogRecord>;

export function originalsOf(records: readonly LogRecord[]): Originals {
  return new Map(records.map((record) => [originKey(record.topic, String(record.offset)), record]));
}

function originKey(topic: string, offset: string): string {
  return `${topic}\u0000${offset}`;
}

/** One step of a task's work as it goes into a transaction. */
export interface EncodedStep {
  readonly records: OutgoingRecord[];
  readonly deadLetters: DeadLetter[];
  /** Outputs of no input (a timer's alert) that could not be written: logged and counted, not dead-lettered. */
  readonly dropped: ReadonlyArray<{ readonly reason: string; readonly detail: string }>;
}

type Encoded = OutgoingRecord | { readonly reason: string; readonly detail: string };

export class OutputEncoder {
  readonly #serde: AvroSerde;
  readonly #topics: TopicNames;
  readonly #ids: OutputSchemaIds;
  readonly #changelogTopic: string;
  readonly #maxBytes: ReadonlyMap<string, number>;
  readonly #decisions: DecisionStep;

  /** `maxMessageBytes`: each output topic's max.message.bytes; `decisions`: who decides payments scored with a feature vector. */
  constructor(serde: AvroSerde, topics: TopicNames, ids: OutputSchemaIds, changelogTopic: string, maxMessageBytes: ReadonlyMap<string, number>, decisions: DecisionStep) {
    this.#decisions = decisions;
    this.#serde = serde;
    this.#topics = topics;
    this.#ids = ids;
    this.#changelogTopic = changelogTopic;
    this.#maxBytes = maxMessageBytes;
  }

  /**
   * The records of one step: its decisions, minus those of inputs whose outputs cannot be written,
   * which become dead letters with the step's other rejections (`deadLetters` from decoding, and the
   * engine's, whose original bytes are in `originals` or, for a record that waited in state since an
   * earlier batch, written again from its decoded value).
   */
  async step(taskOutput: TaskOutput<RuleEngineOutput>, deadLetters: readonly DeadLetter[], originals: Originals): Promise<EncodedStep> {
    const decided = await this.#decisions.decide(taskOutput);
    const output = { ...taskOutput, ...decided };
    const encoded = await Promise.all(output.records.map((record) => this.#decision(record)));
    const failed = new Map<SourceRecord, { reason: string; detail: string }>();
    const dropped: Array<{ reason: string; detail: string }> = [];
    encoded.forEach((result, i) => {
      if ('topic' in result) return;
      const origin = output.origins[i] ?? null;
      if (origin === null) dropped.push(result);
      else if (!failed.has(origin)) failed.set(origin, result);
    });
    const records = encoded.filter((result, i): result is OutgoingRecord => {
      const origin = output.origins[i] ?? null;
      return 'topic' in result && (origin === null || !failed.has(origin));
    });
    const rejected: RejectedRecord[] = [...output.deadLetters, ...[...failed].map(([record, { reason, detail }]) => ({ record, reason, detail }) as RejectedRecord)];
    const letters = [...deadLetters, ...(await Promise.all(rejected.map((r) => this.#rejected(r, originals))))];
    records.push(...(await this.#deadLetters(letters)));
    return { records, deadLetters: letters, dropped };
  }

  changelog(partition: number, records: readonly ChangelogRecord[]): OutgoingRecord[] {
    return records.map(({ key, value }) => ({
      topic: this.#changelogTopic,
      partition,
      key: Buffer.from(key),
      value: value === null ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    }));
  }

  async #decision(output: RuleEngineOutput): Promise<Encoded> {
    const [topic, id, key, timestamp] =
      output.kind === 'scored'
        ? [this.#topics.scored, this.#ids.scored, output.value.transaction.accountId, output.value.transaction.eventTime]
        : [this.#topics.alerts, this.#ids.alert, output.value.accountId, output.value.eventTime];
    let value: Buffer;
    try {
      value = await this.#serde.encode(id, output.value);
    } catch (error) {
      if (!(error instanceof EncodeError)) throw error;
      return { reason: OutputReason.OutputInvalid, detail: `its ${output.kind} record does not match its schema: ${error.message}` };
    }
    const record = { topic, key: Buffer.from(key), value, timestamp };
    const limit = this.#maxBytes.get(topic) ?? Infinity;
    if (batchBytes(record) > limit) {
      return { reason: OutputReason.OutputTooLarge, detail: `its ${output.kind} record of ${value.length} bytes would exceed max.message.bytes ${limit} of ${topic}` };
    }
    return record;
  }

  async #deadLetters(letters: readonly DeadLetter[]): Promise<OutgoingRecord[]> {
    return Promise.all(
      letters.map(async (letter) => ({
        topic: this.#topics.deadLetters,
        key: letter.key,
        value: await this.#serde.encode(this.#ids.deadLetter, letter),
      })),
    );
  }

  /** The engine's rejection with the record's original bytes, or its value written again when they are gone. */
  async #rejected({ record, reason, detail }: RejectedRecord, originals: Originals): Promise<DeadLetter> {
    const original = originals.get(originKey(record.topic, String(record.offset)));
    if (original !== undefined) return deadLetterOf(original, reason, detail);
    const schemaId = this.#ids.inputs.get(record.topic);
    if (schemaId === undefined) throw new Error(`rejected record ${record.topic}/${record.partition}@${String(record.offset)} is of no input of the scorer`);
    const value = await this.#serde.encode(schemaId, record.value);
    return deadLetterOf(
      { topic: record.topic, partition: record.partition, offset: String(record.offset), key: typeof record.key === 'string' ? Buffer.from(record.key) : null, value },
      reason,
      `${detail} (value written again from the decoded record, which had waited in the task's state)`,
    );
  }
}
