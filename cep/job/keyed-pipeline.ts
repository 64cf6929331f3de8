import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import { ProfileJoin } from '../join/profile-join';
import type { KeyState, KeyedStateStore } from '../state/keyed-state';
import { Interner } from '../velocity/interner';
import { SessionOperator } from '../velocity/session-operator';
import { VelocityOperator } from '../velocity/velocity-operator';
import type { JobSettings } from './job-settings';
import type { PendingRecord } from './pending-records';
import type { StageRunner } from './stage-runner';
import { Signal } from './types';

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
  readonly #allowedLatenessMs: number;
  /** Event time after a key's last event during which its expiring state can still matter. */
  readonly retentionMs: number;

  constructor(store: KeyedStateStore, settings: JobSettings<Out, S>, stage: StageRunner<Out, S>) {
    const merchants = new Interner();
    const allowedLatenessMs = settings.allowedLatenessMs;
    this.#allowedLatenessMs = allowedLatenessMs;
    this.#profiles = new ProfileJoin(store, { allowedLatenessMs });
    this.#velocity = new VelocityOperator(store, { windows: settings.velocityWindows, allowedLatenessMs, merchants, countries: new Interner() });
    this.#sessions = new SessionOperator(store, { gapMs: settings.sessionGapMs, allowedLatenessMs, merchants, devices: new Interner() });
    this.#stage = stage;
    this.retentionMs = Math.max(this.#velocity.retentionMs, this.#sessions.retentionMs);
  }

  process(state: KeyState, record: PendingRecord, late: boolean, asOf: number): void {
    const { key, eventTime } = record;
    const source = { topic: record.topic, partition: record.partition, offset: record.offset };
    // Literal events (no spread of a shared base) keep each kind's object shape stable on the hot path.
    switch (record.input.kind) {
      case 'transaction': {
        const value = record.value as Transaction;
        const profile = this.#profiles.lookup(state, eventTime, asOf);
        const { account, card } = this.#velocity.onTransaction(state, value, eventTime, asOf);
        const session = this.#sessions.onTransaction(state, value, eventTime, asOf);
        const signals: string[] = [];
        if (profile === null) signals.push(Signal.UnknownAccount);
        if (eventTime < asOf - this.#allowedLatenessMs) signals.push(Signal.BeyondAllowedLateness);
        const features = { account, card, session, extra: {} };
        this.#stage.onEvent(state, { kind: 'transaction', key, eventTime, late, watermark: asOf, source, value, profile, features, signals });
        return;
      }
      case 'profile': {
        const value = record.value as AccountProfile;
        const previous = this.#profiles.onProfile(state, value, asOf);
        this.#stage.onEvent(state, { kind: 'profile', key, eventTime, late, watermark: asOf, source, value, previous });
        return;
      }
      case 'auth': {
        const value = record.value as AuthEvent;
        const profile = this.#profiles.lookup(state, eventTime, asOf);
        this.#stage.onEvent(state, { kind: 'auth', key, eventTime, late, watermark: asOf, source, value, profile });
        return;
      }
    }
  }

  /** Drops the key's expiring state that no record decided at `asOf` or later can see. */
  evict(state: KeyState, asOf: number): void {
    this.#velocity.evict(state, asOf);
    this.#sessions.evict(state, asOf);
  }
}
