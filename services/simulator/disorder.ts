// Publishes records out of event-time order the way real producers do, within a bound the scorer
// tolerates, and holds a requested fraction back until they are truly late.
import type { Random } from './random';
import type { SimRecord } from './records';
import { TimeQueue } from './time-queue';

export interface DisorderOptions {
  readonly random: Random;
  /** Records are shuffled within this much event time; below the scorer's bound. */
  readonly outOfOrderMs: number;
  /** The scorer's out-of-orderness bound. */
  readonly boundMs: number;
  /** Fraction of baseline and behavioural payments held back until they are late. */
  readonly lateRatio: number;
}

/**
 * Input must arrive in event-time order. Each record is released at event time + a jitter below
 * `outOfOrderMs`, so when it is published no earlier-published record is `outOfOrderMs` or more
 * ahead of it. A late record waits until the stream is twice the bound past it: per partition the
 * stream may trail the whole, and the record must be late where the scorer looks.
 */
export class Disorder {
  readonly #options: DisorderOptions;
  readonly #jittered = new TimeQueue<SimRecord>();
  readonly #late: SimRecord[] = [];
  #lateHead = 0;
  #frontier = -Infinity;

  constructor(options: DisorderOptions) {
    this.#options = options;
  }

  push(record: SimRecord): SimRecord[] {
    const { random, outOfOrderMs, lateRatio } = this.#options;
    // Ordinary and behavioural payments alike, so that being late says nothing about fraud; the rule
    // scenarios stay on time, as they test what the rules decide on time.
    const mayBeLate = record.kind === 'transaction' && (record.origin === 'baseline' || record.origin === 'behaviour');
    if (mayBeLate && lateRatio > 0 && random.chance(lateRatio)) {
      this.#late.push(record);
    } else {
      this.#jittered.push(record.timestamp + (outOfOrderMs > 0 ? random.int(0, outOfOrderMs - 1) : 0), record);
    }
    // Nothing that arrives later can be released before `record.timestamp`: its release time is at
    // least its own event time, which is at least this one's.
    return this.#release([...this.#jittered.popUntil(record.timestamp)]);
  }

  /** Everything still held, in release order (late records last, late or not by then). */
  flush(): SimRecord[] {
    const released = this.#release([...this.#jittered.drain()]);
    released.push(...this.#late.slice(this.#lateHead));
    this.#lateHead = this.#late.length;
    return released;
  }

  #release(records: SimRecord[]): SimRecord[] {
    const out: SimRecord[] = [];
    for (const record of records) {
      out.push(record);
      this.#frontier = Math.max(this.#frontier, record.timestamp);
      while (this.#lateHead < this.#late.length && this.#frontier - this.#late[this.#lateHead]!.timestamp > 2 * this.#options.boundMs) {
        out.push(this.#late[this.#lateHead++]!);
      }
    }
    if (this.#lateHead > 1024 && this.#lateHead * 2 > this.#late.length) {
      this.#late.splice(0, this.#lateHead);
      this.#lateHead = 0;
    }
    return out;
  }
}
