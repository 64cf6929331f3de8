// Topic creation for a run on Kafka. Time-based retention is switched off: a dormant account's
// history is dated months back, and a run with the default fixed start is in the past, so a broker
// would delete whole segments of it as soon as they roll.
import type { Kafka } from 'kafkajs';
import { ensureTopics } from '../shared/kafka';
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
        configs: { 'retention.ms': '-1', ...(compacted ? { 'cleanup.policy': 'compact' } : {}) },
      })),
    );
  } finally {
    await admin.disconnect();
  }
}
