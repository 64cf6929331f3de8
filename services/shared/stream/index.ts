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
  RecordHeaders,
  RecordLog,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
  TransactionalProducer,
} from './types';
export { LogError, LogErrorCode, isFenced, isLogError, isRetriable } from './errors';
export { createMemoryLog, type MemoryLogOptions } from './memory/log';
export { createKafkaLog } from './kafka/log';
