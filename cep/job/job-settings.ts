import { CepError, CepErrorCode } from '../errors';
import {
  DEFAULT_SESSION_GAP_MS,
  type SessionOptions,
  VELOCITY_FEATURES,
  type VelocityOptions,
  type VelocityWindows,
  velocityWindows,
} from '../velocity/options';
import type { InputSpec, KeyedStage } from './types';

/**
 * What `defineJob` takes: the job's inputs, its event-time bounds, its feature windows and its stage.
 * Durations are integer milliseconds, of event time except `idleTimeoutMs` (processing time).
 * `defineJob` throws a `CepError` with code `INVALID_JOB_CONFIG` for an invalid configuration.
 */
export interface JobConfig<Out, S> {
  /** The task's inputs, co-partitioned by account id; list order is the rank used to break event-time ties. */
  readonly inputs: readonly InputSpec[];
  /** How far out of order records of one partition may arrive and still be on time. */
  readonly outOfOrdernessMs: number;
  /** Processing time without data after which a partition stops holding the watermark back; Infinity for never. */
  readonly idleTimeoutMs: number;
  /** How far behind the watermark a late record still sees exact state (default 0). */
  readonly allowedLatenessMs?: number;
  /**
   * How far a record's event time may be ahead of the newest one its input partition has accepted
   * and still move that partition's watermark (default 1 hour). A record further ahead is held:
   * it waits for the watermark like any other, but does not move it, so one wrong clock cannot
   * make the records after it late. JUMP_CONFIRMATIONS such records in a row are taken as the
   * partition's clock having jumped, and move it to the earliest of them.
   */
  readonly aheadBoundMs?: number;
  /**
   * Beyond this lead over its partition's newest accepted time (default 365 days) a record is
   * not held but sent to dead letters, unless it completes a run of records ahead (see
   * `aheadBoundMs`), which is how a partition silent for longer resumes.
   */
  readonly maxFutureSkewMs?: number;
  /** Look-back windows of the velocity features (default 60 s each). */
  readonly velocity?: VelocityOptions;
  /** Session delimitation (default gap 30 min). */
  readonly session?: SessionOptions;
  /** What decides each released event, such as `ruleEngineStage(...)`; the default scoring stage when omitted. */
  readonly stage?: KeyedStage<Out, S>;
}

/** A validated job configuration with every default applied. */
export interface JobSettings<Out, S> {
  readonly inputs: readonly InputSpec[];
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly allowedLatenessMs: number;
  readonly aheadBoundMs: number;
  readonly maxFutureSkewMs: number;
  readonly velocityWindows: VelocityWindows;
  readonly sessionGapMs: number;
  readonly stage: KeyedStage<Out, S>;
}

/**
 * Catches clock and unit errors (years ahead) while accepting logs in which one account, alone on
 * its partition, is dormant for months, as sparse replays and rule scenarios are.
 */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 365 * 86_400_000;

/** Far beyond any out-of-orderness bound, far below the months a wrong clock can be off by. */
export const DEFAULT_AHEAD_BOUND_MS = 3_600_000;

const KINDS = new Set(['transaction', 'profile', 'auth']);

export function resolveSettings<Out, S>(config: JobConfig<Out, S>, stage: KeyedStage<Out, S>): JobSettings<Out, S> {
  if (config.inputs.length === 0) invalid('a job needs at least one input');
  const topics = new Set<string>();
  for (const input of config.inputs) {
    if (!KINDS.has(input.kind)) invalid(`input "${input.topic}" has unknown kind "${String(input.kind)}"`);
    if (topics.has(input.topic)) invalid(`input "${input.topic}" is listed twice`);
    topics.add(input.topic);
  }
  const settings: JobSettings<Out, S> = {
    inputs: [...config.inputs],
    outOfOrdernessMs: config.outOfOrdernessMs,
    idleTimeoutMs: config.idleTimeoutMs,
    allowedLatenessMs: config.allowedLatenessMs ?? 0,
    aheadBoundMs: config.aheadBoundMs ?? DEFAULT_AHEAD_BOUND_MS,
    maxFutureSkewMs: config.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS,
    velocityWindows: velocityWindows(config.velocity),
    sessionGapMs: config.session?.gapMs ?? DEFAULT_SESSION_GAP_MS,
    stage,
  };
  requireDuration('outOfOrdernessMs', settings.outOfOrdernessMs, { zero: true });
  // Infinity disables idleness: a partition without data then holds the watermark forever.
  if (settings.idleTimeoutMs !== Infinity) requireDuration('idleTimeoutMs', settings.idleTimeoutMs, { zero: false });
  requireDuration('allowedLatenessMs', settings.allowedLatenessMs, { zero: true });
  // Infinity disables the guard.
  if (settings.maxFutureSkewMs !== Infinity) requireDuration('maxFutureSkewMs', settings.maxFutureSkewMs, { zero: true });
  if (settings.aheadBoundMs !== Infinity) requireDuration('aheadBoundMs', settings.aheadBoundMs, { zero: true });
  if (settings.aheadBoundMs > settings.maxFutureSkewMs) invalid(`aheadBoundMs ${settings.aheadBoundMs} exceeds maxFutureSkewMs ${settings.maxFutureSkewMs}`);
  requireDuration('session.gapMs', settings.sessionGapMs, { zero: false });
  for (const feature of VELOCITY_FEATURES) requireDuration(`velocity.windowsMs.${feature}`, settings.velocityWindows[feature], { zero: false });
  return settings;
}

function requireDuration(name: string, value: number, allow: { zero: boolean }): void {
  if (!Number.isSafeInteger(value) || value < 0 || (value === 0 && !allow.zero)) {
    invalid(`${name} must be a ${allow.zero ? 'non-negative' : 'positive'} integer number of milliseconds, got ${value}`);
  }
}

function invalid(message: string): never {
  throw new CepError(CepErrorCode.InvalidJobConfig, message);
}
