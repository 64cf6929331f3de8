export { Job, defineJob } from './define-job';
export { DEFAULT_AHEAD_BOUND_MS, DEFAULT_MAX_FUTURE_SKEW_MS, type JobConfig, type JobSettings } from './job-settings';
export { scoringStage } from './scoring-stage';
export { Task, type TaskMetrics } from './task';
export { TASK_META_KEY } from './task-snapshot';
export {
  type AuthActivityEvent,
  DeadLetterReason,
  type EventKind,
  type InputSpec,
  type InputValue,
  type InputValueOf,
  type KeyedEvent,
  type KeyedStage,
  type ProfileEvent,
  type RecordSource,
  type RejectedRecord,
  Signal,
  type SourceRecord,
  type StageContext,
  type TaskOutput,
  type TimerFailure,
  type TransactionEvent,
} from './types';
