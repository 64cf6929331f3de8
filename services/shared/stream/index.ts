export type {
  ConsumerHandlers,
  ConsumerOptions,
  GroupConsumer,
  LogAdmin,
  LogProducer,
  LogRecord,
  LogTransaction,
  OutgoingRecord,
  PartitionBatch,
  ReadProgress,
  RecordHeaders,
  RecordLog,
  Retention,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
  TransactionalProducer,
} from './types';
export { LogError, LogErrorCode, isFenced, isLogError, isRetriable } from './errors';
export { KEEP_FOREVER, createMemoryLog, type MemoryLogOptions } from './memory/log';
export { createPartitionChooser, type PartitionChooser } from './partitioner';
export { DEFAULT_MAX_MESSAGE_BYTES, batchBytes } from './record-size';
export { createKafkaLog, type KafkaLogOptions } from './kafka/log';
export { type TopicWait, waitForTopics } from './wait-for-topics';
