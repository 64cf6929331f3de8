import { DEFAULT_AHEAD_BOUND_MS, DEFAULT_MAX_FUTURE_SKEW_MS } from '../../cep';
import { type Env, envFraction, envInt, envString } from '../shared/env';
import { DEFAULT_MAX_INPUT_BYTES } from './codecs';
import { DEFAULT_PARTITIONS, topicNames } from '../shared/topics';

export interface ScorerConfig {
  readonly brokers: string;
  readonly registryUrl: string;
  readonly port: number;
  /** Prefix of every topic and of the consumer group, so that pipelines can share a broker ('' for none). */
  readonly namespace: string;
  /** The consumer group, namespaced like the topics. */
  readonly groupId: string;
  readonly partitions: number;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly allowedLatenessMs: number;
  readonly aheadBoundMs: number;
  readonly maxFutureSkewMs: number;
  readonly maxInputBytes: number;
  readonly tickMs: number;
  /** The model directory (model.onnx, model.json) that decides; null: the rules do. */
  readonly model: string | null;
  /** Decision thresholds given explicitly; what is not given is the model's own, or the default. */
  readonly thresholds: { readonly review?: number; readonly decline?: number };
}

/** Every variable is documented in docs/operations.md (environment variables). */
export function scorerConfig(env: Env): ScorerConfig {
  const namespace = envString(env, 'TOPIC_NAMESPACE', '');
  topicNames(namespace); // refuses a bad namespace at start
  const groupId = envString(env, 'SCORER_GROUP_ID', 'peregrine-scorer');
  return {
    brokers: envString(env, 'KAFKA_BROKERS', '127.0.0.1:9092'),
    registryUrl: envString(env, 'SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081'),
    port: envInt(env, 'SCORER_PORT', 8083),
    namespace,
    groupId: namespace === '' ? groupId : `${namespace}.${groupId}`,
    partitions: envInt(env, 'PARTITIONS', DEFAULT_PARTITIONS, { min: 1 }),
    outOfOrdernessMs: envInt(env, 'OUT_OF_ORDERNESS_MS', 5_000),
    // Idleness counts only while caught up, so it can be far shorter than the bound: see docs/event-time.md.
    // Every sparse record (a profile change) holds the watermark back for as long: it was a p90 term.
    idleTimeoutMs: envInt(env, 'IDLE_TIMEOUT_MS', 100, { min: 1 }),
    allowedLatenessMs: envInt(env, 'ALLOWED_LATENESS_MS', 60_000),
    // A record further ahead of its partition waits for the watermark without moving it (docs/event-time.md).
    aheadBoundMs: envInt(env, 'AHEAD_BOUND_MS', DEFAULT_AHEAD_BOUND_MS),
    maxFutureSkewMs: envInt(env, 'MAX_FUTURE_SKEW_MS', DEFAULT_MAX_FUTURE_SKEW_MS),
    maxInputBytes: envInt(env, 'MAX_INPUT_BYTES', DEFAULT_MAX_INPUT_BYTES, { min: 1 }),
    // Idleness between batches (the end of a stream) is noticed only on a tick.
    tickMs: envInt(env, 'SCORER_TICK_MS', 50, { min: 10 }),
    model: envString(env, 'MODEL', '') || null,
    thresholds: { review: envFraction(env, 'REVIEW_THRESHOLD'), decline: envFraction(env, 'DECLINE_THRESHOLD') },
  };
}
