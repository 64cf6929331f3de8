// Frames what a task decided as records for the output topics. Records are stamped with event time,
// never the wall clock, so that a replay sends byte-identical records; the output topics themselves
// are append-time (outputTopicSpecs), so what a reader sees as a record's timestamp is when it was written.
import type { ChangelogRecord, RejectedRecord } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { DeadLetter } from '../../schemas';
import type { AvroSerde } from '../shared/serde';
import type { LogRecord, OutgoingRecord } from '../shared/stream';
import type { TopicNames } from '../shared/topics';
import { deadLetterOf } from './input-decoder';

export interface OutputSchemaIds {
  readonly scored: number;
  readonly alert: number;
  readonly deadLetter: number;
}

export class OutputEncoder {
  readonly #serde: AvroSerde;
  readonly #topics: TopicNames;
  readonly #ids: OutputSchemaIds;
  readonly #changelogTopic: string;

  constructor(serde: AvroSerde, topics: TopicNames, ids: OutputSchemaIds, changelogTopic: string) {
    this.#serde = serde;
    this.#topics = topics;
    this.#ids = ids;
    this.#changelogTopic = changelogTopic;
  }

  async decisions(outputs: readonly RuleEngineOutput[]): Promise<OutgoingRecord[]> {
    return Promise.all(
      outputs.map(async (output) => {
        if (output.kind === 'scored') {
          const tx = output.value.transaction;
          return { topic: this.#topics.scored, key: Buffer.from(tx.accountId), value: await this.#serde.encode(this.#ids.scored, output.value), timestamp: tx.eventTime };
        }
        const alert = output.value;
        return { topic: this.#topics.alerts, key: Buffer.from(alert.accountId), value: await this.#serde.encode(this.#ids.alert, alert), timestamp: alert.eventTime };
      }),
    );
  }

  async deadLetters(letters: readonly DeadLetter[]): Promise<OutgoingRecord[]> {
    return Promise.all(
      letters.map(async (letter) => ({
        topic: this.#topics.deadLetters,
        key: letter.key,
        value: await this.#serde.encode(this.#ids.deadLetter, letter),
      })),
    );
  }

  /** The engine rejects records it cannot key or place in time; they keep their original bytes. */
  rejected(rejected: readonly RejectedRecord[], originals: ReadonlyMap<string, LogRecord>): DeadLetter[] {
    return rejected.map(({ record, reason, detail }) => {
      const original = originals.get(String(record.offset));
      if (original === undefined) throw new Error(`rejected record ${record.topic}/${record.partition}@${String(record.offset)} is not in the batch`);
      return deadLetterOf(original, reason, detail);
    });
  }

  changelog(partition: number, records: readonly ChangelogRecord[]): OutgoingRecord[] {
    return records.map(({ key, value }) => ({
      topic: this.#changelogTopic,
      partition,
      key: Buffer.from(key),
      value: value === null ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    }));
  }
}
