// Topic creation for a run on Kafka: see HISTORY_TOPIC_CONFIGS for why retention and the future-stamp limit are off.
import type { Kafka } from 'kafkajs';
import { HISTORY_TOPIC_CONFIGS, ensureTopics } from '../shared/kafka';
import { resolveOptions, type SimulationOptions } from './options';
import { simulatorTopics } from './run';

export async function createSimulatorTopics(kafka: Kafka, options: SimulationOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      simulatorTopics(resolveOptions(options)).map(({ topic, partitions, compacted }) => ({
        topic,
        numPartitions: partitions,
        configs: { ...HISTORY_TOPIC_CONFIGS, ...(compacted ? { 'cleanup.policy': 'compact' } : {}) },
      })),
    );
  } finally {
    await admin.disconnect();
  }
}
