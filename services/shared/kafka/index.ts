export { createKafka, parseBrokers, type KafkaClientOptions } from './client';
export { HISTORY_TOPIC_CONFIGS, ensureTopics, type TopicSpec } from './topics';
