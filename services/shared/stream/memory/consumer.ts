import { LogError, LogErrorCode, asError } from '../errors';
import { partitionKey } from '../partition-key';
import type { ConsumerHandlers, ConsumerOptions, GroupConsumer, PartitionBatch, TopicPartition, TopicPartitionOffset } from '../types';
import { Signal, yieldToEventLoop } from './signal';
import type { PartitionLog } from './partition-log';
import type { MemoryStore } from './store';

/**
 * The only member of its group: it is assigned every partition of its topics, and a second member of
 * the same group is refused (GROUP_MEMBER_EXISTS) rather than rebalanced, because the embedded mode
 * runs one instance of each service. Partitions take turns, one batch each, so a busy partition
 * cannot starve the others, and the loop yields to the event loop after every batch.
 */
export class MemoryConsumer implements GroupConsumer {
  readonly #store: MemoryStore;
  readonly #options: ConsumerOptions;
  readonly #maxBatchRecords: number;
  readonly #wake = new Signal();
  readonly #positions = new Map<string, number>();
  readonly #paused = new Set<string>();
  /** Partitions sought while their batch was being handled: the seek wins over the batch's end. */
  readonly #sought = new Set<string>();
  #assignment: TopicPartition[] = [];
  #cursor = 0;
  #running = false;
  #delivery: Promise<void> | undefined;
  #handlers: ConsumerHandlers | undefined;

  constructor(store: MemoryStore, options: ConsumerOptions, maxBatchRecords: number) {
    this.#store = store;
    this.#options = options;
    this.#maxBatchRecords = maxBatchRecords;
  }

  async run(handlers: ConsumerHandlers): Promise<void> {
    if (this.#delivery) throw new LogError(LogErrorCode.InvalidState, `Consumer of group ${this.#options.groupId} is already running`);
    const assignment = this.#options.topics.flatMap((topic) => this.#store.partitions(topic).map(({ partition }) => ({ topic, partition })));
    this.#store.join(this.#options.groupId);
    this.#positions.clear();
    this.#paused.clear();
    this.#assignment = assignment;
    this.#handlers = handlers;
    this.#running = true;
    const unwatch = this.#store.watch(() => this.#wake.notify());
    this.#delivery = this.#deliver(handlers).finally(unwatch);
  }

  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#assertRunning('commitOffsets');
    this.#store.commitOffsets(this.#options.groupId, offsets);
  }

  seek(position: TopicPartitionOffset): void {
    this.#assertRunning('seek');
    const key = partitionKey(position);
    if (!this.#assignment.some((tp) => partitionKey(tp) === key)) return;
    this.#positions.set(key, Number(position.offset));
    this.#sought.add(key);
    this.#wake.notify();
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#assertRunning('pause');
    for (const tp of partitions) this.#paused.add(partitionKey(tp));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#assertRunning('resume');
    for (const tp of partitions) this.#paused.delete(partitionKey(tp));
    this.#wake.notify();
  }

  async stop(): Promise<void> {
    if (!this.#delivery) return;
    this.#running = false;
    this.#wake.notify();
    await this.#delivery;
    this.#delivery = undefined;
    const revoked = this.#assignment;
    this.#assignment = [];
    if (revoked.length > 0) await this.#handlers?.onRevoked?.(revoked);
  }

  async #deliver(handlers: ConsumerHandlers): Promise<void> {
    try {
      await handlers.onAssigned?.(this.#assignment);
      this.#startPositions();
      while (this.#running) {
        const fetched = this.#nextBatch(handlers);
        if (!fetched) {
          await this.#wake.wait();
          continue;
        }
        const key = partitionKey(fetched.batch);
        this.#sought.delete(key);
        await handlers.eachBatch(fetched.batch);
        if (!this.#sought.has(key)) this.#positions.set(key, fetched.next);
        await yieldToEventLoop();
      }
    } catch (error) {
      this.#running = false;
      handlers.onCrash?.(asError(error));
    } finally {
      this.#store.leave(this.#options.groupId);
    }
  }

  /** Runs once `onAssigned` is done, so a seek or commit made there decides where a partition starts. */
  #startPositions(): void {
    for (const tp of this.#assignment) {
      if (this.#positions.has(partitionKey(tp))) continue;
      const committed = this.#store.committedOffset(this.#options.groupId, tp);
      this.#positions.set(partitionKey(tp), committed ?? this.#resetPosition(this.#store.partition(tp)));
    }
  }

  /** Where a partition starts without a position, as Kafka's auto.offset.reset: earliest kept, or the end. */
  #resetPosition(log: PartitionLog): number {
    return (this.#options.fromBeginning ?? true) ? log.start : log.end;
  }

  /** A position retention has removed the records at (committed long ago, or sought) is reset, logged and counted. */
  #positionIn(tp: TopicPartition, log: PartitionLog): number {
    const key = partitionKey(tp);
    const position = this.#positions.get(key) ?? log.end;
    if (position >= log.start) return position;
    const reset = this.#resetPosition(log);
    this.#store.noteOffsetReset(this.#options.groupId, tp, position, reset);
    this.#positions.set(key, reset);
    return reset;
  }

  /** The next partition's batch in turn, and the position after it (past any trailing markers). */
  #nextBatch(handlers: ConsumerHandlers): { batch: PartitionBatch; next: number } | undefined {
    for (let turn = 0; turn < this.#assignment.length; turn++) {
      const tp = this.#assignment[(this.#cursor + turn) % this.#assignment.length];
      const key = partitionKey(tp);
      if (this.#paused.has(key)) continue;
      const log = this.#store.partition(tp);
      const position = this.#positionIn(tp, log);
      const { records, next } = log.read(position, this.#maxBatchRecords);
      // Only commit markers: step over them, as a Kafka consumer does, without an empty batch.
      if (records.length === 0) {
        if (next > position) handlers.onProgress?.({ ...tp, nextOffset: String(next), highWatermark: String(log.end) });
        this.#positions.set(key, next);
        continue;
      }
      this.#cursor = (this.#cursor + turn + 1) % this.#assignment.length;
      return { next, batch: { ...tp, records, nextOffset: String(next), highWatermark: String(log.end) } };
    }
    return undefined;
  }

  #assertRunning(operation: string): void {
    if (!this.#running) throw new LogError(LogErrorCode.InvalidState, `${operation} needs a running consumer (between run and stop)`);
  }
}
