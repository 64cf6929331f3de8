// What a run published, counted as it is published, so that a stopped run reports the truth.
import { MALFORMED_KINDS } from './malformed';
import type { TopicNames } from '../shared/topics';
import { type SimRecord, topicOf } from './records';

export interface RunSummary {
  readonly seed: string | number;
  /** ISO time of the first slot. */
  readonly start: string;
  /**
   * ISO time of the newest record published (record timestamps are event times): a tail of records
   * after it releases everything the scorer still waits on (docs/event-time.md).
   */
  readonly end: string | null;
  /** Records per topic, history included. */
  readonly records: Record<string, number>;
  /** Every payment published: baseline, scenario and malformed. */
  readonly transactions: number;
  /** Injected scenarios per rule id. */
  readonly scenarios: Record<string, number>;
  /** Near-misses per rule id. */
  readonly nearMisses: Record<string, number>;
  /** Labelled payments of the behavioural fraud generator per behaviour. */
  readonly behavioural: Record<string, number>;
  /** Records published more than the bound behind the newest event time published before them. */
  readonly late: number;
  readonly malformed: { readonly total: number; readonly byReason: Record<string, number> };
  /** The run was stopped (SIGINT, SIGTERM, abort) before it had published everything. */
  readonly stopped: boolean;
  readonly elapsedMs: number;
  readonly transactionsPerSecond: number;
}

export class SummaryCounter {
  readonly #topics: TopicNames;
  readonly #boundMs: number;
  readonly #records: Record<string, number> = {};
  readonly #scenarios: Record<string, number> = {};
  readonly #nearMisses: Record<string, number> = {};
  readonly #behavioural: Record<string, number> = {};
  readonly #malformed: Record<string, number> = {};
  #transactions = 0;
  #late = 0;
  #malformedTotal = 0;
  #frontier = -Infinity;

  constructor(topics: TopicNames, boundMs: number) {
    this.#topics = topics;
    this.#boundMs = boundMs;
  }

  get transactions(): number {
    return this.#transactions;
  }

  count(record: SimRecord): void {
    const topic = topicOf(this.#topics, record.kind);
    this.#records[topic] = (this.#records[topic] ?? 0) + 1;
    if (record.kind === 'transaction') this.#transactions++;
    if (record.kind === 'label' && record.value.behavioural) {
      this.#behavioural[record.value.scenario] = (this.#behavioural[record.value.scenario] ?? 0) + 1;
    } else if (record.kind === 'label' && record.value.expectedRuleId !== null) {
      const tally = record.value.fraud ? this.#scenarios : this.#nearMisses;
      tally[record.value.expectedRuleId] = (tally[record.value.expectedRuleId] ?? 0) + 1;
    }
    if (record.malformed) {
      const reason = MALFORMED_KINDS[record.malformed];
      this.#malformed[reason] = (this.#malformed[reason] ?? 0) + 1;
      this.#malformedTotal++;
    }
    if (this.#frontier - record.timestamp > this.#boundMs) this.#late++;
    this.#frontier = Math.max(this.#frontier, record.timestamp);
  }

  summary(run: { seed: string | number; start: number; stopped: boolean; elapsedMs: number }): RunSummary {
    return {
      seed: run.seed,
      start: new Date(run.start).toISOString(),
      end: this.#frontier === -Infinity ? null : new Date(this.#frontier).toISOString(),
      records: { ...this.#records },
      transactions: this.#transactions,
      scenarios: { ...this.#scenarios },
      nearMisses: { ...this.#nearMisses },
      behavioural: { ...this.#behavioural },
      late: this.#late,
      malformed: { total: this.#malformedTotal, byReason: { ...this.#malformed } },
      stopped: run.stopped,
      elapsedMs: run.elapsedMs,
      transactionsPerSecond: run.elapsedMs > 0 ? Math.round((this.#transactions * 1_000) / run.elapsedMs) : 0,
    };
  }
}
