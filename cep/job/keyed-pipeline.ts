import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import { ProfileJoin } from '../join/profile-join';
import type { KeyedStateStore } from '../state/keyed-state';
import { Interner } from '../velocity/interner';
import { SessionOperator } from '../velocity/session-operator';
import { VelocityOperator } from '../velocity/velocity-operator';
import type { JobSettings } from './job-settings';
import type { StageRunner } from './stage-runner';
import { DeadLetterReason, type InputSpec, type InputValue, Signal } from './types';

/** Why the pipeline refused a record it was given. */
export interface Refusal {
  readonly reason: DeadLetterReason;
  readonly detail: string;
}

/**
 * The keyed operators a released record passes through, in order: profile join, velocity and
 * session features, then the downstream stage. `asOf` is the record's decision time (its event
 * time when on time, the task watermark when late); every operator judges retention against it.
 */
export class KeyedPipeline<Out, S> {
  readonly #profiles: ProfileJoin;
  readonly #velocity: VelocityOperator;
  readonly #sessions: SessionOperator;
  readonly #stage: StageRunner<Out, S>;
  readonly #store: KeyedStateStore;
  readonly #inputs: readonly InputSpec[];
  readonly #partition: number;
  readonly #allowedLatenessMs: number;
  /** Event time after a key's last event during which its expiring state can still matter. */
  readonly retentionMs: number;

  constructor(store: KeyedStateStore, settings: JobSettings<Out, S>, partition: number, stage: StageRunner<Out, S>) {
    this.#store = store;
    this.#inputs = settings.inputs;
    this.#partition = partition;
    const merchants = new Interner();
    const allowedLatenessMs = settings.allowedLatenessMs;
    this.#allowedLatenessMs = allowedLatenessMs;
    this.#profiles = new ProfileJoin(store, { allowedLatenessMs });
    this.#velocity = new VelocityOperator(store, { windows: settings.velocityWindows, allowedLatenessMs, merchants, countries: new Interner() });
    this.#sessions = new SessionOperator(store, { gapMs: settings.sessionGapMs, allowedLatenessMs, merchants });
    this.#stage = stage;
    this.retentionMs = Math.max(this.#velocity.retentionMs, this.#sessions.retentionMs);
  }

  /**
   * Passes key `id`'s record of input `rank` on; the record is given field by field, as the task
   * keeps it in columns. Returns why the record is refused instead (a transaction id the account
   * decided recently), or undefined once it went through.
   */
  process(id: number, rank: number, offset: string, eventTime: number, inputValue: InputValue, late: boolean, asOf: number): Refusal | undefined {
    const key = this.#store.keyOf(id);
    const input = this.#inputs[rank]!;
    const source = { topic: input.topic, partition: this.#partition, offset };
    // Literal events (no spread of a shared base) keep each kind's object shape stable on the hot path.
    switch (input.kind) {
      case 'transaction': {
        const value = inputValue as Transaction;
        const repetition = this.#velocity.repetition(id, value);
        if (repetition !== null) return this.#refuseRepeat(value, repetition);
        const profile = this.#profiles.lookup(id, eventTime, asOf);
        const { account, card } = this.#velocity.onTransaction(id, value, eventTime, asOf);
        const session = this.#sessions.onTransaction(id, value, eventTime, asOf);
        const signals: string[] = [];
        if (profile === null) signals.push(Signal.UnknownAccount);
        if (eventTime < asOf - this.#allowedLatenessMs) signals.push(Signal.BeyondAllowedLateness);
        const features = { account, card, session, extra: {} };
        this.#stage.onEvent(id, { kind: 'transaction', key, eventTime, late, watermark: asOf, source, value, profile, features, signals });
        return undefined;
      }
      case 'profile': {
        const value = inputValue as AccountProfile;
        const previous = this.#profiles.onProfile(id, value, asOf);
        this.#stage.onEvent(id, { kind: 'profile', key, eventTime, late, watermark: asOf, source, value, previous });
        return undefined;
      }
      case 'auth': {
        const value = inputValue as AuthEvent;
        const profile = this.#profiles.lookup(id, eventTime, asOf);
        this.#stage.onEvent(id, { kind: 'auth', key, eventTime, late, watermark: asOf, source, value, profile });
        return undefined;
      }
    }
  }

  /**
   * A repeated transaction id is decided once: a second record with the same body (a producer's
   * retry) changes nothing, and one with another body does not replace the first.
   */
  #refuseRepeat(value: Transaction, repetition: 'duplicate' | 'conflict'): Refusal {
    const within = `within the last ${this.#velocity.retentionMs} ms of event time`;
    return repetition === 'duplicate'
      ? { reason: DeadLetterReason.DuplicateTransaction, detail: `transaction ${value.transactionId} was decided ${within} with the same body: a replay, decided once` }
      : { reason: DeadLetterReason.ConflictingTransaction, detail: `transaction ${value.transactionId} was decided ${within} with a different body: the first one stands` };
  }

  /** Drops the key's expiring state that no record decided at `asOf` or later can see. */
  evict(id: number, asOf: number): void {
    this.#velocity.evict(id, asOf);
    this.#sessions.evict(id, asOf);
  }
}
