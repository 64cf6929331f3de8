import { CepError, CepErrorCode } from '../errors';
import type { KeyState, KeyedStateStore, StateSlot } from '../state/keyed-state';
import { TimerQueue } from '../time/timer-queue';
import type { KeyedEvent, KeyedStage, StageContext } from './types';

/** The one context object handed to the stage, re-pointed at each call's key. */
class ReusedContext<Out, S> implements StageContext<Out, S> {
  key = '';
  watermark = -Infinity;
  sink: Out[] = [];
  #state: KeyState | undefined;
  readonly #runner: StageRunner<Out, S>;

  constructor(runner: StageRunner<Out, S>) {
    this.#runner = runner;
  }

  enter(state: KeyState, watermark: number): this {
    this.#state = state;
    this.key = state.key;
    this.watermark = watermark;
    return this;
  }

  get state(): S | undefined {
    return this.#runner.stateSlot === undefined ? undefined : this.#keyState().get(this.#runner.stateSlot);
  }

  setState(state: S | undefined): void {
    if (this.#runner.stateSlot === undefined) throw new CepError(CepErrorCode.InvalidJobConfig, 'the stage declared no state slot');
    this.#keyState().set(this.#runner.stateSlot, state);
  }

  emit(output: Out): void {
    this.sink.push(output);
  }

  registerTimer(time: number): void {
    this.#runner.registerTimer(this.#keyState(), time);
  }

  deleteTimer(time: number): void {
    this.#runner.deleteTimer(this.#keyState(), time);
  }

  #keyState(): KeyState {
    if (this.#state === undefined) throw new Error('stage context used outside a stage call');
    return this.#state;
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

  /** Where emitted outputs go until the next call of this method. */
  emitTo(sink: Out[]): void {
    this.#context.sink = sink;
  }

  onEvent(state: KeyState, event: KeyedEvent): void {
    this.#stage.onEvent(event, this.#context.enter(state, event.watermark));
  }

  /** Fires every registered timer with time <= limit, in (time, key) order. */
  fireTimers(limit: number): void {
    for (let timer = this.#queue.popDue(limit); timer !== undefined; timer = this.#queue.popDue(limit)) {
      const state = this.#store.find(timer.key);
      const times = state?.get(this.#timerSlot);
      const at = times?.indexOf(timer.time) ?? -1;
      // Deleted after it was queued: the queue is not told about deletions.
      if (state === undefined || times === undefined || at < 0) continue;
      times.splice(at, 1);
      if (times.length === 0) state.set(this.#timerSlot, undefined);
      this.#store.touch(state);
      this.#stage.onTimer?.(timer.time, this.#context.enter(state, timer.time));
    }
  }

  registerTimer(state: KeyState, time: number): void {
    if (!Number.isSafeInteger(time)) throw new CepError(CepErrorCode.InvalidJobConfig, `timer time ${time} is not an integer`);
    let times = state.get(this.#timerSlot);
    if (times === undefined) state.set(this.#timerSlot, (times = []));
    if (times.includes(time)) return;
    times.push(time);
    times.sort((a, b) => a - b);
    this.#queue.add(state.key, time);
  }

  deleteTimer(state: KeyState, time: number): void {
    const times = state.get(this.#timerSlot);
    const at = times?.indexOf(time) ?? -1;
    if (times === undefined || at < 0) return;
    times.splice(at, 1);
    if (times.length === 0) state.set(this.#timerSlot, undefined);
  }

  /** Re-queues the timers held in restored state. */
  rebuildTimers(): void {
    this.#queue.clear();
    for (const key of this.#store.keys()) {
      for (const time of this.#store.find(key)?.get(this.#timerSlot) ?? []) this.#queue.add(key, time);
    }
  }
}
