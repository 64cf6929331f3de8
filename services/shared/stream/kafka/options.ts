import { Partitioners, type ConsumerConfig, type ProducerConfig } from 'kafkajs';

/**
 * Idempotent with one request in flight, so a retried send can neither duplicate nor reorder the
 * records of a partition. Topics come from LogAdmin only, so a misspelt topic fails the send instead
 * of creating a stray topic.
 */
export const PRODUCER_OPTIONS = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  // Explicit, because kafkajs 2 warns on every producer that relies on its default.
  createPartitioner: Partitioners.DefaultPartitioner,
} as const satisfies ProducerConfig;

export function consumerOptions(groupId: string): ConsumerConfig {
  return {
    groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    // kafkajs applies pause, resume and seek between fetches; a short long-poll keeps that prompt.
    maxWaitTimeInMs: 500,
  };
}
