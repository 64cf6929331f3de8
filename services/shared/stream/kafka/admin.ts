import { type Admin, ConfigResourceTypes } from 'kafkajs';
import { HISTORY_TOPIC_CONFIGS, ensureTopics } from '../../kafka';
import { LogError, LogErrorCode } from '../errors';
import type { LogAdmin, TopicPartitionOffset, TopicSpec } from '../types';
import { translated } from './errors';

const MAX_MESSAGE_BYTES = 'max.message.bytes';
const OFFSETS_ATTEMPTS = 5;
const OFFSETS_RETRY_MS = 100;

export class KafkaLogAdmin implements LogAdmin {
  readonly #admin: Admin;

  constructor(admin: Admin) {
    this.#admin = admin;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const kafkaSpecs = specs.map(({ topic, partitions, compacted, appendTime, history, maxMessageBytes, retention }) => ({
      topic,
      numPartitions: partitions,
      configs: {
        ...(history ? HISTORY_TOPIC_CONFIGS : {}),
        ...(compacted ? { 'cleanup.policy': 'compact' } : {}),
        ...(appendTime ? { 'message.timestamp.type': 'LogAppendTime' } : {}),
        ...(maxMessageBytes !== undefined ? { [MAX_MESSAGE_BYTES]: String(maxMessageBytes) } : {}),
        // Kafka spells "no limit" -1.
        ...(retention?.ms !== undefined ? { 'retention.ms': retention.ms === Infinity ? '-1' : String(retention.ms) } : {}),
        ...(retention?.bytes !== undefined ? { 'retention.bytes': retention.bytes === Infinity ? '-1' : String(retention.bytes) } : {}),
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
   * kafkajs's offsets listing gives up at once where a retry would pass: on a partition whose leader
   * is not ready yet (a topic just created, on a broker just started; seen in CI), and now and then
   * with "Cannot destructure property 'partitions' of 'high.pop(...)'" when its cached metadata
   * names no leader (tulios/kafkajs#461, seen with two scorers sharing a client through a
   * rebalance). Both are retried, with backoff, before they count.
   */
  async #fetchTopicOffsets(topic: string): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#admin.fetchTopicOffsets(topic);
      } catch (error) {
        const passing = error instanceof TypeError || (error as { retriable?: unknown }).retriable === true;
        if (!passing || attempt === OFFSETS_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, OFFSETS_RETRY_MS * 2 ** (attempt - 1)));
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

  async maxMessageBytes(topic: string): Promise<number> {
    await this.#assertExists(topic);
    const { resources } = await translated(`read the configuration of ${topic}`, () =>
      this.#admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [MAX_MESSAGE_BYTES] }] }),
    );
    const value = resources[0]?.configEntries.find((entry) => entry.configName === MAX_MESSAGE_BYTES)?.configValue;
    const bytes = Number(value);
    if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new LogError(LogErrorCode.Broker, `${topic} reports ${MAX_MESSAGE_BYTES}=${String(value)}`);
    return bytes;
  }

  // kafkajs retries metadata requests for a missing topic for seconds; one listing fails fast instead.
  async #assertExists(topic: string): Promise<void> {
    const topics = await translated('list topics', () => this.#admin.listTopics());
    if (!topics.includes(topic)) throw new LogError(LogErrorCode.UnknownTopic, `Topic ${topic} does not exist`);
  }
}
