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

export interface JobConfig<Out, S> {
  /** The task's inputs, co-partitioned by account id; list order is the rank used to break event-time ties. */
  readonly inputs: readonly InputSpec[];
  /** How far out of order records of one partition may arrive and still be on time. */
  readonly outOfOrdernessMs: number;
  /** Processing time without data after which a partition stops holding the watermark back. */
  readonly idleTimeoutMs: number;
  /** How far behind the watermark a late record still sees exact state (default 0). */
  readonly allowedLatenessMs?: number;
  /**
   * How far a record's event time may be ahead of the highest one its input partition has seen
   * (default 365 days); a record further ahead goes to dead letters instead of moving the
   * watermark. It must exceed the longest silence a partition can have in event time: the first
   * record after a longer one is rejected, and so is every later one, since rejected records do
   * not move the reference.
   */
  readonly maxFutureSkewMs?: number;
  readonly velocity?: VelocityOptions;
  readonly session?: SessionOptions;
  readonly stage?: KeyedStage<Out, S>;
}

/** A validated job configuration with every default applied. */
export interface JobSettings<Out, S> {
  readonly inputs: readonly InputSpec[];
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly allowedLatenessMs: number;
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
