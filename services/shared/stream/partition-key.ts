import type { TopicPartition } from './types';

/** A Map/Set key for a topic-partition; NUL cannot occur in a Kafka topic name. */
export function partitionKey({ topic, partition }: TopicPartition): string {
  return `${topic}\u0000${partition}`;
}
