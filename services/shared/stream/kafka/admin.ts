import type { Admin } from 'kafkajs';
import { HISTORY_TOPIC_CONFIGS, ensureTopics } from '../../kafka';
import { LogError, LogErrorCode } from '../errors';
import type { LogAdmin, TopicPartitionOffset, TopicSpec } from '../types';
import { translated } from './errors';

const OFFSETS_ATTEMPTS = 3;
const OFFSETS_RETRY_MS = 100;

export class KafkaLogAdmin implements LogAdmin {
  readonly #admin: Admin;

  constructor(admin: Admin) {
    this.#admin = admin;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const kafkaSpecs = specs.map(({ topic, partitions, compacted, appendTime, history }) => ({
      topic,
      numPartitions: partitions,
      configs: {
        ...(history ? HISTORY_TOPIC_CONFIGS : {}),
        ...(compacted ? { 'cleanup.policy': 'compact' } : {}),
        ...(appendTime ? { 'message.timestamp.type': 'LogAppendTime' } : {}),
      },
    }));
    await translated('ensure topics', () => ensureTopics(this.#admin, kafkaSpecs));
  }

  async partitionCount(topic: string): Promise<number> {
    await this.#assertExists(topic);
    const { topics } = await translated(`read metadata of ${topic}`, () => this.#admin.fetchTopicMetadata({ topics: [topic] }));
    return topics[0].partitions.length;
  }

  /** kafkajs lists offsets read-committed, so this is each partition's last stable offset. */
  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    await this.#assertExists(topic);
    const offsets = await translated(`read end offsets of ${topic}`, () => this.#fetchTopicOffsets(topic));
    return offsets.map(({ partition, offset }) => ({ topic, partition, offset })).sort((a, b) => a.partition - b.partition);
  }

  /**
   * Now and then kafkajs finds no partition leaders for an existing topic in its cached metadata and
   * fails with "Cannot destructure property 'partitions' of 'high.pop(...)'" (tulios/kafkajs#461, open
   * since 2019). Seen here once in a few runs of two scorers sharing a client through a rebalance, it
   * passed within the next call, so it is retried a few times before it counts.
   */
  async #fetchTopicOffsets(topic: string): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#admin.fetchTopicOffsets(topic);
      } catch (error) {
        if (!(error instanceof TypeError) || attempt === OFFSETS_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, OFFSETS_RETRY_MS));
      }
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<Array<{ topic: string; partition: number; offset: string | null }>> {
    await this.#assertExists(topic);
    const [offsets] = await translated(`read offsets of ${groupId} on ${topic}`, () => this.#admin.fetchOffsets({ groupId, topics: [topic] }));
    // kafkajs reports "-1" for a partition the group has never committed.
    return (offsets?.partitions ?? [])
      .map(({ partition, offset }) => ({ topic, partition, offset: offset === '-1' ? null : offset }))
      .sort((a, b) => a.partition - b.partition);
  }

  // kafkajs retries metadata requests for a missing topic for seconds; one listing fails fast instead.
  async #assertExists(topic: string): Promise<void> {
    const topics = await translated('list topics', () => this.#admin.listTopics());
    if (!topics.includes(topic)) throw new LogError(LogErrorCode.UnknownTopic, `Topic ${topic} does not exist`);
  }
}
