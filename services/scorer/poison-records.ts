// The last line of defence against a record that fails its task the same way on every try. Every
// known kind of bad record already ends as a dead letter where it is met (decoding, validation, the
// engine, the output encoder); this catches what nobody foresaw. A task that fails twice without
// committing anything in between is restored in narrow mode: it decides and commits its records
// one at a time up to where it had got, so the next failure names one record, which is then
// dead-lettered with the error (PROCESSING_FAILED) and skipped on every later restore. Failures of
// the infrastructure (a broker or registry outage) are not the records' fault and never count.
import { DecodeError } from '../shared/serde';
import { LogError, LogErrorCode } from '../shared/stream';

/** Where a task is, input topic → next offset to read. */
export type Positions = ReadonlyMap<string, bigint>;

export interface FailedRecord {
  readonly topic: string;
  readonly offset: string;
}

/** A task's failure as the scorer's supervisor sees it. */
export class TaskFailure extends Error {
  constructor(
    readonly partition: number,
    /** The positions of the task's last commit (or its restore): the same twice means no progress. */
    readonly committed: Positions,
    /** How far it had consumed when it failed. */
    readonly reached: Positions,
    /** The one record being decided, in narrow mode. */
    readonly record: FailedRecord | null,
    cause: unknown,
  ) {
    super(`task of partition ${partition} failed${record ? ` on ${record.topic}@${record.offset}` : ''}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TaskFailure';
  }
}

/** Whether a failure could be a record's doing, rather than the broker's or the registry's. */
export function isRecordShaped(error: unknown): boolean {
  for (let link = error; link instanceof Error; link = link.cause) {
    if (link instanceof LogError) return link.code === LogErrorCode.RecordTooLarge || link.code === LogErrorCode.InvalidRecord;
    if (link instanceof DecodeError && link.retriable) return false;
  }
  return true;
}

function same(a: Positions, b: Positions): boolean {
  return a.size === b.size && [...a].every(([topic, offset]) => b.get(topic) === offset);
}

export function recordKey(topic: string, offset: string): string {
  return `${topic}\u0000${offset}`;
}

/** What a restored task of one partition must know: records to skip, and whether to go one record at a time. */
export interface TaskGuard {
  /** Records that failed their task in narrow mode, with the error, by recordKey. */
  readonly quarantined: ReadonlyMap<string, string>;
  /** In narrow mode: the positions up to which to commit one record at a time. */
  readonly narrowUntil: Positions | null;
  /** Narrow mode reached `narrowUntil` without a failure. */
  narrowed(): void;
}

export class PoisonRecords {
  readonly #lastFailure = new Map<number, TaskFailure>();
  readonly #narrowing = new Map<number, Positions>();
  readonly #quarantined = new Map<number, Map<string, string>>();

  /** Takes note of a failure; says what the next restore of the task does about it. */
  failed(failure: TaskFailure): 'quarantined' | 'narrowing' | 'noted' | 'not the record' {
    const { partition, record } = failure;
    if (!isRecordShaped(failure.cause)) return 'not the record';
    if (record !== null && this.#narrowing.has(partition)) {
      let quarantined = this.#quarantined.get(partition);
      if (quarantined === undefined) this.#quarantined.set(partition, (quarantined = new Map()));
      const cause = failure.cause instanceof Error ? `${failure.cause.name}: ${failure.cause.message}` : String(failure.cause);
      quarantined.set(recordKey(record.topic, record.offset), `deciding or committing the record failed its task twice: ${cause}`.replace(/\s+/g, ' '));
      this.#lastFailure.delete(partition);
      return 'quarantined';
    }
    const last = this.#lastFailure.get(partition);
    this.#lastFailure.set(partition, failure);
    if (last === undefined || !same(last.committed, failure.committed)) return 'noted';
    const until = new Map(failure.reached);
    for (const [topic, offset] of last.reached) if (offset > (until.get(topic) ?? -1n)) until.set(topic, offset);
    this.#narrowing.set(partition, until);
    return 'narrowing';
  }

  guard(partition: number): TaskGuard {
    return {
      quarantined: this.#quarantined.get(partition) ?? new Map(),
      narrowUntil: this.#narrowing.get(partition) ?? null,
      narrowed: () => this.#narrowing.delete(partition),
    };
  }
}
