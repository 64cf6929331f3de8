import type { Job } from '../job/define-job';
import type { Task } from '../job/task';
import { DeadLetterReason, type RejectedRecord, type SourceRecord, type TaskOutput } from '../job/types';
import type { Offset } from '../time/offsets';

/** Options of a {@link JobTestDriver}. */
export interface JobTestDriverOptions {
  /** Partitions of every input (they are co-partitioned); one task per partition. */
  readonly partitions: number;
  /** Processing time the driver's clock starts at, in epoch ms (default 0). */
  readonly startTime?: number;
}

/** A record to pipe in. Partition defaults to a hash of the key, offset to the next one of its topic-partition. */
export interface TestRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly offset?: Offset;
  readonly key: string | null;
  readonly eventTime: number | null;
  readonly value: unknown;
}

/**
 * Runs a job's tasks without a broker, after Kafka Streams' TopologyTestDriver: records are
 * piped in synchronously, processing time only moves when the test says so, and outputs and
 * dead letters accumulate until read.
 */
export class JobTestDriver<Out> {
  readonly #job: Job<Out>;
  readonly #tasks: Task<Out>[];
  readonly #nextOffsets = new Map<string, bigint>();
  #now: number;
  #outputs: Out[] = [];
  #deadLetters: RejectedRecord[] = [];
  #lateRecords = 0;

  constructor(job: Job<Out>, options: JobTestDriverOptions) {
    this.#job = job;
    this.#now = options.startTime ?? 0;
    this.#tasks = Array.from({ length: options.partitions }, (_, partition) => job.createTask(partition));
  }

  get processingTime(): number {
    return this.#now;
  }

  /** Late records seen so far, across tasks. */
  get lateRecords(): number {
    return this.#lateRecords;
  }

  task(partition: number): Task<Out> {
    const task = this.#tasks[partition];
    if (task === undefined) throw new RangeError(`no task for partition ${partition}`);
    return task;
  }

  /** Pipes one record as a batch of its own. */
  pipe(record: TestRecord): this {
    return this.pipeBatch([record]);
  }

  /** Pipes records as one poll: each task gets its partition's records in one `process` call. */
  pipeBatch(records: readonly TestRecord[]): this {
    const byPartition = new Map<number, SourceRecord[]>();
    for (const record of records) {
      const source = this.#toSource(record);
      const batch = byPartition.get(source.partition) ?? [];
      batch.push(source);
      byPartition.set(source.partition, batch);
    }
    for (const [partition, batch] of byPartition) {
      const task = this.#tasks[partition];
      if (task === undefined) {
        for (const record of batch) this.#deadLetters.push({ record, reason: DeadLetterReason.WrongPartition, detail: `no task for partition ${partition}` });
        continue;
      }
      this.#collect(task.process(batch, this.#now));
    }
    return this;
  }

  advanceProcessingTime(ms: number): this {
    this.#now += ms;
    for (const task of this.#tasks) this.#collect(task.onProcessingTime(this.#now));
    return this;
  }

  /** Ends the input of every task, releasing everything that waits for the watermark. */
  endOfInput(): this {
    for (const task of this.#tasks) this.#collect(task.endOfInput());
    return this;
  }

  /** Simulates a crash and recovery: the task is rebuilt from its snapshot bytes. */
  restartTask(partition: number): this {
    const snapshot = this.task(partition).snapshot();
    const restarted = this.#job.createTask(partition);
    restarted.restore(snapshot);
    this.#tasks[partition] = restarted;
    return this;
  }

  /** Outputs emitted since the last read, in emission order. */
  readOutput(): Out[] {
    const outputs = this.#outputs;
    this.#outputs = [];
    return outputs;
  }

  readDeadLetters(): RejectedRecord[] {
    const deadLetters = this.#deadLetters;
    this.#deadLetters = [];
    return deadLetters;
  }

  #collect(output: TaskOutput<Out>): void {
    for (const record of output.records) this.#outputs.push(record);
    for (const rejected of output.deadLetters) this.#deadLetters.push(rejected);
    this.#lateRecords += output.lateRecords;
  }

  #toSource(record: TestRecord): SourceRecord {
    const partition = record.partition ?? partitionOf(record.key, this.#tasks.length);
    const id = `${record.topic}\u0000${partition}`;
    const offset = record.offset ?? this.#nextOffsets.get(id) ?? 0n;
    if (typeof offset === 'bigint' || /^\d+$/.test(offset)) this.#nextOffsets.set(id, BigInt(offset) + 1n);
    return { topic: record.topic, partition, offset, key: record.key, eventTime: record.eventTime, value: record.value };
  }
}

/** A deterministic key-to-partition hash (FNV-1a); keyless records go to partition 0. */
export function partitionOf(key: string | null, partitions: number): number {
  if (key === null) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}
