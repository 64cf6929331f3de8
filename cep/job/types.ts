import type { AccountProfile, AuthEvent, Features, Transaction } from '../../schemas/types';
import type { StateSlotSpec } from '../state/keyed-state';
import type { Offset } from '../time/offsets';

/** What an input carries, known from its topic alone: the engine never inspects bytes to classify. */
export type EventKind = 'transaction' | 'profile' | 'auth';

/** The decoded value type of each {@link EventKind}: what a `SourceRecord.value` of that kind must hold. */
export interface InputValueOf {
  transaction: Transaction;
  profile: AccountProfile;
  auth: AuthEvent;
}
/** A decoded input value of any kind. */
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

/**
 * A payment as a stage receives it: the transaction joined with its account's profile and enriched
 * with velocity and session features as of its event time (as of the retention horizon for one
 * beyond the allowed lateness, see {@link Signal}). It is what a rule's `when` judges.
 */
export interface TransactionEvent extends KeyedEventBase {
  readonly kind: 'transaction';
  readonly value: Transaction;
  /** Newest profile version with updatedAt <= eventTime; null for an unknown account. */
  readonly profile: AccountProfile | null;
  /** The account's and card's velocity look-backs and the account's session, this payment included. */
  readonly features: Features;
  /** Defined outcomes that are not rules, see `Signal`. */
  readonly signals: string[];
}

/** A new version of an account's profile (event time: its `updatedAt`), given to the stage once the profile join holds it. */
export interface ProfileEvent extends KeyedEventBase {
  readonly kind: 'profile';
  readonly value: AccountProfile;
  /** The version valid just before this one, null for an account's first version. */
  readonly previous: AccountProfile | null;
}

/** An authentication event of the account (login, credential change, new device, lockout), with its profile. */
export interface AuthActivityEvent extends KeyedEventBase {
  readonly kind: 'auth';
  readonly value: AuthEvent;
  /** Profile version valid at the event's time, null for an unknown account. */
  readonly profile: AccountProfile | null;
}

/** Every record of a key that the pipeline releases, in processing order. */
export type KeyedEvent = TransactionEvent | ProfileEvent | AuthActivityEvent;

/**
 * The pipeline's entries in {@link TransactionEvent.signals}: conditions of a payment's decision
 * that are not rule hits. They are carried to `ScoredTransaction.signals`; stages may add their own.
 */
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

/**
 * Why the engine refused a record ({@link RejectedRecord.reason}). The values are the reasons of the
 * service's dead letters, so, like error codes, they are added to and never renamed.
 */
export const DeadLetterReason = {
  /** No key, or an empty one: the record cannot be assigned to an account. */
  MissingKey: 'MISSING_KEY',
  /** The event time is missing or not an integer number of epoch milliseconds. */
  InvalidEventTime: 'INVALID_EVENT_TIME',
  /** The record's topic is not one of the job's inputs. */
  UnknownInput: 'UNKNOWN_INPUT',
  /** The record reached the task of another partition number, which does not own its key's state. */
  WrongPartition: 'WRONG_PARTITION',
  /** The offset is not a non-negative 64-bit integer. */
  InvalidOffset: 'INVALID_OFFSET',
  /** The value is missing or not an object (a tombstone, say). */
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
/** One of the {@link DeadLetterReason} values. */
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

/**
 * What one call of a task (`process`, `onProcessingTime`, `endOfInput`) produced. Every input record ends
 * once in `records` (through the stage) or in `deadLetters`, possibly in a later call than its own.
 */
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
  /** Stage timers of this call that threw; their output is discarded. */
  readonly timerFailures: TimerFailure[];
  /** The task watermark after the call. */
  readonly watermark: number;
}
