import type { Admin, ITopicConfig } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** e.g. { 'cleanup.policy': 'compact' } for profiles and changelogs */
  configs?: Record<string, string>;
}

const LEADER_WAIT_MS = 30_000;

/**
 * For topics of event-time-stamped inputs that replay history: no time-based retention (a run dated
 * in the past would be deleted as soon as a segment rolled), and no limit on stamps ahead of the
 * broker's clock (Kafka 4 refuses more than an hour by default; a scenario's tail published from
 * `--start now` is ahead, and a far-future payment is a case the scorer must dead-letter).
 */
export const HISTORY_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  'retention.ms': '-1',
  'message.timestamp.after.max.ms': '9223372036854775807',
};

/** Creates missing topics and waits for their leaders; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = specs
    .filter((s) => !existing.has(s.topic))
    .map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions,
      replicationFactor: 1,
      configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
    }));
  if (missing.length === 0) return;
  // kafkajs resolves false for a topic another client created meanwhile, which is fine here.
  await admin.createTopics({ topics: missing, waitForLeaders: false });
  await waitForLeaders(admin, missing.map((t) => t.topic));
}

/**
 * kafkajs's own waitForLeaders retries only LEADER_NOT_AVAILABLE, but a KRaft broker answers
 * UNKNOWN_TOPIC_OR_PARTITION for a moment after creating a topic; both mean "not yet".
 */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw err;
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leader after ${LEADER_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
