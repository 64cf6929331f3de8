// Runs one engine task against the log: the task owns one partition number of every input topic,
// and all it writes (decisions, alerts, dead letters, changelog) commits in Kafka transactions
// together with the consumed offsets (invariant 4), through a commit pipeline that lets the task
// consume on while a transaction is on its way. Calls are serialised per task, so the idleness
// ticker never interleaves with a batch.
import { DeadLetterReason, type Task, type TaskOutput } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { DeadLetter } from '../../schemas';
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import { type LogRecord, type OutgoingRecord, type PartitionBatch, type ReadProgress, type TransactionalProducer, isFenced } from '../shared/stream';
import { CatchUpClock } from './catch-up-clock';
import { CommitPipeline } from './commit-pipeline';
import { type InputDecoding, deadLetterOf, decodeInputs } from './input-decoder';
import { type FailedRecord, type TaskGuard, TaskFailure, recordKey } from './poison-records';
import type { ScorerMetrics } from './metrics';
import { type EncodedStep, type OutputEncoder, type Originals, originalsOf } from './output-encoder';

/**
 * Input records a task may have decided but not yet handed to a transaction. Enough for a fetch of
 * every input at kafkajs's default 1 MiB per partition; beyond it a batch waits for the transaction
 * on its way, so a backlog cannot pile up in memory.
 */
const MAX_STAGED_RECORDS = 50_000;

export interface TaskHostDeps {
  readonly groupId: string;
  readonly serde: AvroSerde;
  readonly encoder: OutputEncoder;
  /** How each input topic is decoded. */
  readonly inputs: ReadonlyMap<string, InputDecoding>;
  readonly metrics: ScorerMetrics;
  readonly logger: Logger;
  /** Wall clock, for metrics (and, through the catch-up clock, idleness) only: invariant 1. */
  readonly now: () => number;
  /** A transaction of the task failed (a TaskFailure, or the fencing error): the task is ahead of the log and must not go on. */
  readonly onFailure: (error: Error, partition: number) => void;
}

/** What one step of the task decided, waiting for its transaction. */
interface Decided {
  readonly output: TaskOutput<RuleEngineOutput>;
  /** Records refused while decoding. */
  readonly deadLetters: readonly DeadLetter[];
  /** The step's consumed records, whose bytes the engine's dead letters keep. */
  readonly originals: Originals;
  /** The next offset to read once the step is committed, when it consumed records. */
  readonly consumed: { readonly topic: string; readonly offset: bigint } | null;
  /** What the transaction carries of it, once encoded. */
  encoded?: EncodedStep;
}

const NO_ORIGINALS: Originals = new Map();
const NO_GUARD: TaskGuard = { quarantined: new Map(), narrowUntil: null, narrowed: () => undefined };

export class TaskHost {
  readonly partition: number;
  readonly #task: Task<RuleEngineOutput>;
  readonly #producer: TransactionalProducer;
  readonly #deps: TaskHostDeps;
  readonly #clock: CatchUpClock;
  readonly #commits: CommitPipeline<Decided>;
  /** Next offset to consume per input topic. */
  readonly #positions: Map<string, bigint>;
  /** The positions of the last commit: where a restore would resume. */
  readonly #committed: Map<string, bigint>;
  readonly #guard: TaskGuard;
  /** In narrow mode, the record being decided and committed on its own. */
  #suspect: FailedRecord | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(task: Task<RuleEngineOutput>, producer: TransactionalProducer, positions: Map<string, bigint>, deps: TaskHostDeps, guard: TaskGuard = NO_GUARD) {
    this.partition = task.partition;
    this.#clock = new CatchUpClock(deps.now, positions);
    this.#positions = positions;
    this.#committed = new Map(positions);
    this.#guard = guard;
    this.#task = task;
    this.#producer = producer;
    this.#deps = deps;
    const { encoder } = deps;
    this.#commits = new CommitPipeline<Decided>({
      producer,
      groupId: deps.groupId,
      partition: this.partition,
      maxStagedRecords: MAX_STAGED_RECORDS,
      onFailure: (error) => deps.onFailure(isFenced(error) ? error : this.#failure(error), this.partition),
      source: {
        snapshot: () => encoder.changelog(this.partition, task.changelog()),
        encode: async (decided) => {
          const records: OutgoingRecord[] = [];
          for (const step of decided) {
            step.encoded = await encoder.step(step.output, step.deadLetters, step.originals);
            records.push(...step.encoded.records);
          }
          return records;
        },
        committed: (decided, seconds) => {
          deps.metrics.transactionSeconds.observe(seconds);
          for (const step of decided) {
            if (step.consumed !== null) this.#committed.set(step.consumed.topic, step.consumed.offset);
            this.#observe(step);
          }
        },
      },
    });
  }

  /**
   * Resolves once the batch is decided and staged for a transaction, not when it is committed; in
   * narrow mode, once each of its records is committed on its own. Rejects with a TaskFailure.
   */
  processBatch(batch: PartitionBatch): Promise<void> {
    return this.#serially(async () => {
      try {
        await this.#processBatch(batch);
      } catch (error) {
        throw error instanceof TaskFailure || isFenced(error) ? error : this.#failure(error);
      }
    });
  }

  /** The next offset to read in each input: for the scorer's progress watch. */
  get positions(): ReadonlyMap<string, bigint> {
    return this.#positions;
  }

  /** The log's end of an input partition: what lies between the task's reads and it is a backlog. */
  noteEndOffset(topic: string, end: bigint): void {
    this.#clock.ended(topic, end);
  }

  /** The consumer read past records of no interest to the task (transaction markers). */
  noteProgress({ topic, nextOffset, highWatermark }: ReadProgress): void {
    this.#clock.ended(topic, BigInt(highWatermark));
    this.#clock.reached(topic, BigInt(nextOffset));
  }

  /** Input `topic` of this task's partition holds no records (a replayed history): it holds nothing back. */
  noteEmpty(topic: string): void {
    this.#task.markEmpty(topic);
  }

  /** Lets idle partitions stop holding the watermark back, and commits what that releases. */
  tick(): Promise<void> {
    return this.#serially(async () => {
      const before = this.#task.watermark;
      const output = this.#task.onProcessingTime(this.#clock.now());
      if (output.records.length === 0 && output.deadLetters.length === 0 && output.watermark === before) return;
      this.#commits.stage({ output, deadLetters: [], originals: NO_ORIGINALS, consumed: null }, 0, null);
    });
  }

  /** The input has ended (a replayed history): decides every record still waiting, and commits it. */
  finish(): Promise<void> {
    return this.#serially(async () => {
      const output = this.#task.endOfInput();
      this.#commits.stage({ output, deadLetters: [], originals: NO_ORIGINALS, consumed: null }, 0, null);
      await this.#commits.drain();
    });
  }

  /** Commits what is staged (unless a transaction failed: then the next owner redoes it) and closes the producer. */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.#commits.drain().catch(() => undefined);
    await this.#producer.close();
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #processBatch(batch: PartitionBatch): Promise<void> {
    const { metrics } = this.#deps;
    const stopTimer = metrics.batchSeconds.startTimer();
    const decoding = this.#deps.inputs.get(batch.topic);
    if (decoding === undefined) throw new Error(`scorer received ${batch.topic}, which is not one of its inputs`);
    // After the consumer rejoins, kafkajs fetches again from the committed offsets, which may be behind
    // what this task has already decided (its transaction still on its way): those records are skipped.
    const position = this.#positions.get(batch.topic) ?? 0n;
    const records = batch.records.filter((record) => BigInt(record.offset) >= position);
    if (records.length === 0) return void this.noteProgress(batch);
    metrics.records.inc({ topic: batch.topic }, records.length);
    if (this.#guard.narrowUntil !== null) {
      for (const record of records) await this.#decideAlone(decoding, batch, record);
    } else {
      await this.#decide(decoding, batch, records);
    }
    stopTimer();
    await this.#commits.ready();
  }

  async #decide(decoding: InputDecoding, batch: PartitionBatch, records: readonly LogRecord[]): Promise<void> {
    const { quarantined } = this.#guard;
    const poisoned = quarantined.size === 0 ? [] : records.filter((r) => quarantined.has(recordKey(r.topic, r.offset)));
    const decoded = await decodeInputs(decoding, poisoned.length === 0 ? records : records.filter((r) => !poisoned.includes(r)), this.#deps.serde);
    const next = BigInt(records[records.length - 1]!.offset) + 1n;
    this.#positions.set(batch.topic, next);
    // The clock learns of the batch before the task sees it: caught up with it, the task's
    // processing time moves on from this call. The batch's last record takes the reader past the
    // markers its fetch held after it too.
    this.#clock.ended(batch.topic, BigInt(batch.highWatermark));
    this.#clock.reached(batch.topic, records.at(-1) === batch.records.at(-1) ? BigInt(batch.nextOffset) : next);
    // Processing and staging in one synchronous step: the changelog snapshot a transaction takes
    // covers exactly the work it carries.
    const output = this.#task.process(decoded.records, this.#clock.now());
    const deadLetters = [...decoded.deadLetters, ...poisoned.map((r) => deadLetterOf(r, DeadLetterReason.ProcessingFailed, quarantined.get(recordKey(r.topic, r.offset))!))];
    this.#commits.stage({ output, deadLetters, originals: originalsOf(records), consumed: { topic: batch.topic, offset: next } }, records.length, { topic: batch.topic, offset: next.toString() });
  }

  /** Narrow mode: one record decided and committed alone, so that a failure names it. */
  async #decideAlone(decoding: InputDecoding, batch: PartitionBatch, record: LogRecord): Promise<void> {
    this.#suspect = { topic: record.topic, offset: record.offset };
    await this.#decide(decoding, batch, [record]);
    await this.#commits.drain();
    this.#suspect = null;
    const until = this.#guard.narrowUntil!;
    if ([...until].every(([topic, offset]) => (this.#positions.get(topic) ?? 0n) >= offset)) {
      this.#guard.narrowed();
      this.#deps.logger.info({ partition: this.partition }, 'narrow mode passed where the task had failed without a failure: back to batches');
    }
  }

  #failure(cause: unknown): TaskFailure {
    return new TaskFailure(this.partition, new Map(this.#committed), new Map(this.#positions), this.#suspect, cause);
  }

  #observe({ output, encoded }: Decided): void {
    const { metrics, now, logger } = this.#deps;
    const wall = now();
    const label = { partition: String(this.partition) };
    metrics.late.inc(output.lateRecords);
    metrics.held.inc(output.held.length);
    const [first] = output.held;
    if (first !== undefined) {
      const where = { topic: first.topic, partition: first.partition, offset: String(first.offset), eventTime: first.eventTime };
      logger.debug({ held: output.held.length, first: where }, 'records too far ahead of their partition: held until the watermark reaches them, without moving it');
    }
    for (const failure of output.timerFailures) {
      metrics.failures.inc({ kind: 'timer' });
      logger.error({ partition: this.partition, ...failure }, 'a rule timer failed; what it emitted is discarded');
    }
    for (const { reason, detail } of encoded?.dropped ?? []) {
      metrics.failures.inc({ kind: 'output' });
      logger.error({ partition: this.partition, reason, detail }, 'an account-level alert could not be written and is discarded');
    }
    for (const letter of encoded?.deadLetters ?? []) metrics.deadLetters.inc({ reason: letter.reason });
    for (const out of output.records) {
      for (const hit of out.value.ruleHits) metrics.ruleHits.inc({ rule: hit.ruleId });
      if (out.kind === 'alert') {
        metrics.alerts.inc();
        continue;
      }
      metrics.scored.inc({ decision: out.value.decision });
      metrics.decisionLatency.observe(Math.max(0, wall - out.value.transaction.eventTime) / 1000);
    }
    const taskMetrics = this.#task.metrics(wall);
    if (Number.isFinite(taskMetrics.watermark)) {
      metrics.watermark.set(label, taskMetrics.watermark);
      metrics.watermarkLag.set(label, taskMetrics.watermarkLagMs);
    }
    metrics.pending.set(label, taskMetrics.pendingRecords);
  }
}
