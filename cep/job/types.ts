import type { AccountProfile, AuthEvent, Features, Transaction } from '../../schemas/types';
import type { StateSlotSpec } from '../state/keyed-state';
import type { Offset } from '../time/offsets';

/** What an input carries, known from its topic alone: the engine never inspects bytes to classify. */
export type EventKind = 'transaction' | 'profile' | 'auth';

export interface InputValueOf {
  transaction: Transaction;
  profile: AccountProfile;
  auth: AuthEvent;
}
export type InputValue = InputValueOf[EventKind];

/**
 * One input of a job. Its position in the job's input list is its rank: at equal event time,
 * records of earlier inputs are processed first (list profiles before transactions so that a
 * profile version at t is visible to a transaction at t).
 */
export interface InputSpec {
  readonly topic: string;
  readonly kind: EventKind;
}

/**
 * A consumed record with its value already decoded. `key` is the account id (inputs are
 * co-partitioned by it); `eventTime` is the record's event time in epoch ms (for a profile, its
 * `updatedAt`). Missing or malformed fields are not an error: the record goes to dead letters.
 */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: Offset;
  readonly key: string | null | undefined;
  readonly eventTime: number | null | undefined;
  readonly value: unknown;
}

/** Where a released event came from; the offset is canonical decimal text. */
export interface RecordSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

interface KeyedEventBase {
  readonly key: string;
  readonly eventTime: number;
  /** The record arrived with eventTime <= task watermark and was processed at once against current state. */
  readonly late: boolean;
  /**
   * Event time the event was decided at: its own event time when on time (every earlier event
   * applied), the task watermark it arrived behind when late (ScoredTransaction.watermark).
   */
  readonly watermark: number;
  readonly source: RecordSource;
}

export interface TransactionEvent extends KeyedEventBase {
  readonly kind: 'transaction';
  readonly value: Transaction;
  /** Newest profile version with updatedAt <= eventTime; null for an unknown account. */
  readonly profile: AccountProfile | null;
  readonly features: Features;
  /** Defined outcomes that are not rules, see `Signal`. */
  readonly signals: string[];
}

export interface ProfileEvent extends KeyedEventBase {
  readonly kind: 'profile';
  readonly value: AccountProfile;
  /** The version valid just before this one, null for an account's first version. */
  readonly previous: AccountProfile | null;
}

export interface AuthActivityEvent extends KeyedEventBase {
  readonly kind: 'auth';
  readonly value: AuthEvent;
  /** Profile version valid at the event's time, null for an unknown account. */
  readonly profile: AccountProfile | null;
}

/** Every record of a key that the pipeline releases, in processing order. */
export type KeyedEvent = TransactionEvent | ProfileEvent | AuthActivityEvent;

export const Signal = {
  /** No profile version at or before the transaction's time. */
  UnknownAccount: 'unknown-account',
  /** Late by more than the allowed lateness: features and profile are as of the retention horizon. */
  BeyondAllowedLateness: 'beyond-allowed-lateness',
} as const;

/**
 * What a stage sees of the key being processed. One context object is reused for every call, so
 * a stage must not keep it beyond the call.
 */
export interface StageContext<Out, S> {
  readonly key: string;
  /** The decision time of the current call: the event's `watermark`, or the timer's time. */
  readonly watermark: number;
  /** The stage's state of this key; mutate it in place or replace it with `setState`. */
  readonly state: S | undefined;
  setState(state: S | undefined): void;
  emit(output: Out): void;
  /** Fires `onTimer` once the task watermark reaches `time` (an integer ms), after every event at or before it. */
  registerTimer(time: number): void;
  deleteTimer(time: number): void;
}

/**
 * The pluggable end of the keyed pipeline (a rule engine, or the default scoring stage). It
 * receives every released event of a key in processing order, owns an optional per-key state
 * slot, and decides what is emitted, for a transaction (invariant: exactly one scored record)
 * and on timers.
 */
export interface KeyedStage<Out, S = never> {
  readonly state?: StateSlotSpec<S>;
  onEvent(event: KeyedEvent, context: StageContext<Out, S>): void;
  onTimer?(time: number, context: StageContext<Out, S>): void;
}

export const DeadLetterReason = {
  MissingKey: 'MISSING_KEY',
  InvalidEventTime: 'INVALID_EVENT_TIME',
  UnknownInput: 'UNKNOWN_INPUT',
  WrongPartition: 'WRONG_PARTITION',
  InvalidOffset: 'INVALID_OFFSET',
  MissingValue: 'MISSING_VALUE',
  /** More than `maxFutureSkewMs` ahead of the highest event time its input partition has accepted. */
  EventTimeTooFarAhead: 'EVENT_TIME_TOO_FAR_AHEAD',
  /** A transaction id the account decided recently, with the same body: a replay, decided once. */
  DuplicateTransaction: 'DUPLICATE_TRANSACTION',
  /** A transaction id the account decided recently, with a different body: the first one stands. */
  ConflictingTransaction: 'CONFLICTING_TRANSACTION',
  /** Deciding the record threw (a rule's defect, say): what it emitted is discarded, the rest goes on. */
  ProcessingFailed: 'PROCESSING_FAILED',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

/** A record the task cannot key or place in event time; the service turns it into a DeadLetter. */
export interface RejectedRecord {
  readonly record: SourceRecord;
  readonly reason: DeadLetterReason;
  readonly detail: string;
}

/** A timer whose stage call threw: what it emitted is discarded, and there is no input record to dead-letter. */
export interface TimerFailure {
  readonly key: string;
  readonly time: number;
  readonly detail: string;
}

export interface TaskOutput<Out> {
  /** What the stage emitted, in processing order. */
  readonly records: Out[];
  /** For each of `records`, the input record whose processing emitted it; null for a timer's output. */
  readonly origins: (SourceRecord | null)[];
  /** Records refused at intake, and records refused or failed when the watermark released them. */
  readonly deadLetters: RejectedRecord[];
  /** Records of this call that arrived late (they are in `records` like any other). */
  readonly lateRecords: number;
  /**
   * Records of this call too far ahead of their partition's newest time to move its watermark
   * (see JobConfig.aheadBoundMs): they wait for the watermark, and are decided when it passes them.
   */
  readonly held: SourceRecord[];
  readonly timerFailures: TimerFailure[];
  /** The task watermark after the call. */
  readonly watermark: number;
}
