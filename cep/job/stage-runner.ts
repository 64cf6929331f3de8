import { CepError, CepErrorCode, describeError } from '../errors';
import type { KeyedStateStore, StateSlot } from '../state/keyed-state';
import { TimerQueue } from '../time/timer-queue';
import type { KeyedEvent, KeyedStage, StageContext, TimerFailure } from './types';

/** The one context object handed to the stage, re-pointed at each call's key. */
class ReusedContext<Out, S> implements StageContext<Out, S> {
  key = '';
  watermark = -Infinity;
  sink: Out[] = [];
  /** Id of the key of the current call; -1 before the first. */
  #id = -1;
  readonly #runner: StageRunner<Out, S>;

  constructor(runner: StageRunner<Out, S>) {
    this.#runner = runner;
  }

  enter(id: number, key: string, watermark: number): this {
    this.#id = id;
    this.key = key;
    this.watermark = watermark;
    return this;
  }

  get state(): S | undefined {
    return this.#runner.stateSlot?.get(this.#keyId());
  }

  setState(state: S | undefined): void {
    if (this.#runner.stateSlot === undefined) throw new CepError(CepErrorCode.InvalidJobConfig, 'the stage declared no state slot');
    this.#runner.stateSlot.set(this.#keyId(), state);
  }

  emit(output: Out): void {
    this.sink.push(output);
  }

  registerTimer(time: number): void {
    this.#runner.registerTimer(this.#keyId(), time);
  }

  deleteTimer(time: number): void {
    this.#runner.deleteTimer(this.#keyId(), time);
  }

  #keyId(): number {
    if (this.#id < 0) throw new Error('stage context used outside a stage call');
    return this.#id;
  }
}

/**
 * Runs the downstream stage: calls it per event and per due timer with the key's context. A key's
 * timers are kept in its state (so they reach the changelog and keep the key alive); the queue
 * across keys is rebuilt from state after a restore.
 */
export class StageRunner<Out, S> {
  readonly stateSlot: StateSlot<S> | undefined;
  readonly #timerSlot: StateSlot<number[]>;
  readonly #stage: KeyedStage<Out, S>;
  readonly #store: KeyedStateStore;
  readonly #queue = new TimerQueue();
  readonly #context = new ReusedContext<Out, S>(this);

  constructor(store: KeyedStateStore, stage: KeyedStage<Out, S>) {
    this.#store = store;
    this.#stage = stage;
    this.stateSlot = stage.state === undefined ? undefined : store.register(stage.state);
    this.#timerSlot = store.register<number[]>({
      name: 'timers',
      isEmpty: (times) => times.length === 0,
      codec: {
        version: 1,
        encode: (times, out) => {
          out.uvarint(times.length);
          for (const time of times) out.varint(time);
        },
        decode: (input) => Array.from({ length: input.uvarint() }, () => input.varint()),
      },
    });
  }

  #timerFailures: TimerFailure[] = [];

  /** Where emitted outputs, and timers whose call threw, go until the next call of this method. */
  emitTo(sink: Out[], timerFailures: TimerFailure[]): void {
    this.#context.sink = sink;
    this.#timerFailures = timerFailures;
  }

  onEvent(id: number, event: KeyedEvent): void {
    this.#stage.onEvent(event, this.#context.enter(id, event.key, event.watermark));
  }

  /** Fires every registered timer with time <= limit, in (time, key) order. */
  fireTimers(limit: number): void {
    const queue = this.#queue;
    for (let key = queue.popDue(limit); key !== undefined; key = queue.popDue(limit)) {
      const time = queue.time;
      const id = this.#store.find(key);
      const times = id === undefined ? undefined : this.#timerSlot.get(id);
      const at = times?.indexOf(time) ?? -1;
      // Deleted after it was queued: the queue is not told about deletions.
      if (id === undefined || times === undefined || at < 0) continue;
      times.splice(at, 1);
      if (times.length === 0) this.#timerSlot.set(id, undefined);
      this.#store.touch(id);
      this.#onTimer(id, key, time);
    }
  }

  /** A timer whose call throws emits nothing and is reported; the next timer goes on. */
  #onTimer(id: number, key: string, time: number): void {
    const sink = this.#context.sink;
    const mark = sink.length;
    try {
      this.#stage.onTimer?.(time, this.#context.enter(id, key, time));
    } catch (error) {
      sink.length = mark;
      this.#timerFailures.push({ key, time, detail: describeError(error) });
    }
  }

  registerTimer(id: number, time: number): void {
    if (!Number.isSafeInteger(time)) throw new CepError(CepErrorCode.InvalidJobConfig, `timer time ${time} is not an integer`);
    const times = this.#timerSlot.get(id);
    if (times === undefined) {
      // Made with its first time, not pushed into []: a push reserves room for 17, in every key's state.
      this.#timerSlot.set(id, [time]);
    } else {
      let at = times.length;
      while (at > 0 && times[at - 1]! > time) at--;
      if (at > 0 && times[at - 1] === time) return;
      // An exact-size copy, in order, for the same reason.
      this.#timerSlot.set(id, times.toSpliced(at, 0, time));
    }
    this.#queue.add(this.#store.keyOf(id), time);
  }

  deleteTimer(id: number, time: number): void {
    const times = this.#timerSlot.get(id);
    const at = times?.indexOf(time) ?? -1;
    if (times === undefined || at < 0) return;
    times.splice(at, 1);
    if (times.length === 0) this.#timerSlot.set(id, undefined);
  }

  /** Re-queues the timers held in restored state. */
  rebuildTimers(): void {
    this.#queue.clear();
    for (const id of this.#store.ids()) {
      for (const time of this.#timerSlot.get(id) ?? []) this.#queue.add(this.#store.keyOf(id), time);
    }
  }
}
