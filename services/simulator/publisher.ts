// Sends generated records in batches, at a steady pace of payments per second of processing time
// (or as fast as the log takes them), counting what actually went out.
import type { LogProducer } from '../shared/stream';
import type { RecordEncoder } from './encoder';
import type { SimRecord } from './records';
import type { SummaryCounter } from './summary';

/** Processing time, injectable so that pacing can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Batches of about 50 ms at a limited rate, so the pace stays smooth rather than bursty. */
const BATCHES_PER_SECOND = 20;

export interface PublisherOptions {
  readonly producer: LogProducer;
  readonly encoder: RecordEncoder;
  readonly counter: SummaryCounter;
  /** Payments per second; 0 for no limit. */
  readonly rate: number;
  readonly batchSize: number;
  readonly clock: Clock;
  /** Called after every batch with the payments published so far. */
  readonly onBatch?: (transactions: number) => void;
}

export class Publisher {
  readonly #options: PublisherOptions;
  readonly #batchSize: number;
  readonly #buffer: SimRecord[] = [];
  #pacingFrom: { time: number; transactions: number } | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  /** Payments handed to the producer, acknowledged or not: what the pace is measured on. */
  #sentTransactions = 0;

  constructor(options: PublisherOptions) {
    this.#options = options;
    this.#batchSize = options.rate > 0 ? Math.max(1, Math.min(options.batchSize, Math.ceil(options.rate / BATCHES_PER_SECOND))) : options.batchSize;
  }

  /** Buffers the record; sends the batch once full, after waiting for the pace if one is set. */
  async add(record: SimRecord): Promise<void> {
    this.#buffer.push(record);
    if (this.#buffer.length >= this.#batchSize) await this.flush();
  }

  /**
   * Encodes the buffered batch while the previous one is still being sent, then sends it once that
   * one is acknowledged: one send in flight keeps the order per partition and hides the round trip.
   */
  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer.splice(0, this.#buffer.length);
    const { producer, encoder, counter, onBatch } = this.#options;
    const encoded = [];
    for (const record of batch) encoded.push(await encoder.encode(record));
    await this.#inFlight;
    const sending = producer.send(encoded).then(() => {
      for (const record of batch) counter.count(record);
      onBatch?.(counter.transactions);
    });
    // Marked handled now; the next flush or drain awaits it and throws its error.
    sending.catch(() => undefined);
    this.#inFlight = sending;
    for (const record of batch) if (record.kind === 'transaction') this.#sentTransactions++;
    await this.#pace(this.#sentTransactions);
  }

  /** Waits for the last send: everything added has been published (or the send's error is thrown). */
  async drain(): Promise<void> {
    await this.flush();
    await this.#inFlight;
  }

  /** Sleeps until `transactions` payments are due since pacing started; the first batch sets the origin. */
  async #pace(transactions: number): Promise<void> {
    const { rate, clock } = this.#options;
    if (rate <= 0) return;
    if (!this.#pacingFrom) {
      this.#pacingFrom = { time: clock.now(), transactions };
      return;
    }
    const dueAt = this.#pacingFrom.time + ((transactions - this.#pacingFrom.transactions) * 1_000) / rate;
    const wait = dueAt - clock.now();
    if (wait > 0) await clock.sleep(wait);
  }
}
