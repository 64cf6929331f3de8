// Keyed records must land on the same partition number in embedded and distributed mode, so that
// state restored from one mode's changelog still belongs to the task reading that partition. The
// memory log therefore asks kafkajs's own default (Java-compatible murmur2) partitioner.
import { Partitioners, type PartitionMetadata } from 'kafkajs';

export type PartitionChooser = (topic: string, partitionCount: number, key: Buffer | null) => number;

export function createPartitionChooser(): PartitionChooser {
  const keyed = Partitioners.DefaultPartitioner();
  // kafkajs starts keyless round robin at a random partition; the memory log must be deterministic.
  const nextKeyless = new Map<string, number>();
  const metadataByCount = new Map<number, PartitionMetadata[]>();
  const metadata = (partitionCount: number): PartitionMetadata[] => {
    let known = metadataByCount.get(partitionCount);
    if (!known) metadataByCount.set(partitionCount, (known = describePartitions(partitionCount)));
    return known;
  };
  return (topic, partitionCount, key) => {
    if (key === null) {
      const next = nextKeyless.get(topic) ?? 0;
      nextKeyless.set(topic, next + 1);
      return next % partitionCount;
    }
    return keyed({ topic, partitionMetadata: metadata(partitionCount), message: { key, value: null } });
  };
}

function describePartitions(partitionCount: number): PartitionMetadata[] {
  return Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
}
