import { LogError, LogErrorCode } from '../errors';
import type { LogProducer, LogTransaction, OutgoingRecord, TopicPartitionOffset, TransactionalProducer } from '../types';
import type { GroupOffsets, MemoryStore, RoutedRecord } from './store';

export class MemoryProducer implements LogProducer {
  readonly #store: MemoryStore;

  constructor(store: MemoryStore) {
    this.#store = store;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    this.#store.append(this.#store.route(records), { transactional: false });
  }

  async close(): Promise<void> {}
}

export class MemoryTransactionalProducer implements TransactionalProducer {
  readonly #store: MemoryStore;
  readonly #epoch: number;
  #open: MemoryTransaction | undefined;

  constructor(
    store: MemoryStore,
    readonly transactionalId: string,
  ) {
    this.#store = store;
    // A newer epoch fences older producers. Their open transaction dies with them: its records were
    // only ever buffered in that producer, so there is nothing to roll back in the store.
    this.#epoch = store.registerProducer(transactionalId);
  }

  async beginTransaction(): Promise<LogTransaction> {
    this.assertCurrent();
    if (this.#open) throw new LogError(LogErrorCode.InvalidState, `Producer ${this.transactionalId} already has an open transaction`);
    const transaction = new MemoryTransaction(this.#store, this, () => (this.#open = undefined));
    this.#open = transaction;
    return transaction;
  }

  assertCurrent(): void {
    this.#store.assertCurrentProducer(this.transactionalId, this.#epoch);
  }

  async close(): Promise<void> {
    this.#open = undefined;
  }
}

/** Buffers its records and offsets, and hands them to the store in one synchronous step on commit. */
class MemoryTransaction implements LogTransaction {
  readonly #store: MemoryStore;
  readonly #producer: MemoryTransactionalProducer;
  readonly #onEnd: () => void;
  readonly #records: RoutedRecord[] = [];
  readonly #offsets: GroupOffsets[] = [];
  #ended = false;

  constructor(store: MemoryStore, producer: MemoryTransactionalProducer, onEnd: () => void) {
    this.#store = store;
    this.#producer = producer;
    this.#onEnd = onEnd;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    this.#assertUsable();
    this.#records.push(...this.#store.route(records));
  }

  async sendOffsets(request: { groupId: string; offsets: readonly TopicPartitionOffset[] }): Promise<void> {
    this.#assertUsable();
    this.#offsets.push({ groupId: request.groupId, offsets: [...request.offsets] });
  }

  async commit(): Promise<void> {
    this.#assertUsable();
    this.#end();
    this.#store.append(this.#records, { transactional: true, offsets: this.#offsets });
  }

  async abort(): Promise<void> {
    this.#assertUsable();
    this.#end();
  }

  #assertUsable(): void {
    if (this.#ended) throw new LogError(LogErrorCode.InvalidState, `Transaction of ${this.#producer.transactionalId} has already ended`);
    this.#producer.assertCurrent();
  }

  #end(): void {
    this.#ended = true;
    this.#onEnd();
  }
}
