export { createKafka, parseBrokers, type KafkaClientOptions } from './client';
export { ensureTopics, type TopicSpec } from './topics';
