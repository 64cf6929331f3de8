// Runs one engine task against the log: the task owns one partition number of every input topic,
// and all it writes (decisions, alerts, dead letters, changelog) commits in Kafka transactions
// together with the consumed offsets (invariant 4), through a commit pipeline that lets the task
// consume on while a transaction is on its way. Calls are serialised per task, so the idleness
// ticker never interleaves with a batch.
import type { EventKind, Task, TaskOutput } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { DeadLetter } from '../../schemas';
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import type { OutgoingRecord, PartitionBatch, TransactionalProducer } from '../shared/stream';
import type { CatchUpClock } from './catch-up-clock';
import { CommitPipeline } from './commit-pipeline';
import { decodeInputs } from './input-decoder';
import type { ScorerMetrics } from './metrics';
import type { OutputEncoder } from './output-encoder';

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
  readonly inputKinds: ReadonlyMap<string, EventKind>;
  /** Wall time after which a lagging input that delivers nothing counts as caught up (see CatchUpClock). */
  readonly settleMs: number;
  readonly metrics: ScorerMetrics;
  readonly logger: Logger;
  /** Wall clock, for metrics (and, through the catch-up clock, idleness) only: invariant 1. */
  readonly now: () => number;
  /** A transaction of the task on `partition` failed: the task is ahead of the log and must not go on. */
  readonly onFailure: (error: Error, partition: number) => void;
}

/** What one step of the task decided, waiting for its transaction. */
interface Decided {
  readonly output: TaskOutput<RuleEngineOutput>;
  readonly deadLetters: readonly DeadLetter[];
}

export class TaskHost {
  readonly partition: number;
  readonly #task: Task<RuleEngineOutput>;
  readonly #producer: TransactionalProducer;
  readonly #deps: TaskHostDeps;
  readonly #clock: CatchUpClock;
  readonly #commits: CommitPipeline<Decided>;
  /** Next offset to consume per input topic, and the highest end offset already reported as backlog. */
  readonly #positions: Map<string, bigint>;
  readonly #reportedEnds = new Map<string, bigint>();
  #queue: Promise<void> = Promise.resolve();

  constructor(task: Task<RuleEngineOutput>, producer: TransactionalProducer, clock: CatchUpClock, positions: Map<string, bigint>, deps: TaskHostDeps) {
    this.partition = task.partition;
    this.#clock = clock;
    this.#positions = positions;
    this.#task = task;
    this.#producer = producer;
    this.#deps = deps;
    const { encoder } = deps;
    this.#commits = new CommitPipeline<Decided>({
      producer,
      groupId: deps.groupId,
      partition: this.partition,
      maxStagedRecords: MAX_STAGED_RECORDS,
      onFailure: (error) => deps.onFailure(error, this.partition),
      source: {
        snapshot: () => encoder.changelog(this.partition, task.changelog()),
        encode: async (decided) => {
          const records: OutgoingRecord[] = [];
          for (const { output, deadLetters } of decided) {
            records.push(...(await encoder.decisions(output.records)), ...(await encoder.deadLetters(deadLetters)));
          }
          return records;
        },
        committed: (decided, seconds) => {
          deps.metrics.transactionSeconds.observe(seconds);
          for (const step of decided) this.#observe(step);
        },
      },
    });
  }

  /** Resolves once the batch is decided and staged for a transaction, not when it is committed. */
  processBatch(batch: PartitionBatch): Promise<void> {
    return this.#serially(() => this.#processBatch(batch));
  }

  /** The log's end of an input partition: records past this task's position are a backlog. */
  noteEndOffset(topic: string, end: bigint): void {
    // Only new records count: an end that never moves past the position (transaction markers)
    // is settled by the clock instead of being reported again and again.
    if (end <= (this.#positions.get(topic) ?? 0n) || end <= (this.#reportedEnds.get(topic) ?? -1n)) return;
    this.#reportedEnds.set(topic, end);
    this.#clock.observe(topic, false);
  }

  /** Lets idle partitions stop holding the watermark back, and commits what that releases. */
  tick(): Promise<void> {
    return this.#serially(async () => {
      this.#clock.settle(this.#deps.settleMs);
      const before = this.#task.watermark;
      const output = this.#task.onProcessingTime(this.#clock.now());
      if (output.records.length === 0 && output.deadLetters.length === 0 && output.watermark === before) return;
      this.#commits.stage({ output, deadLetters: [] }, 0, null);
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
    const kind = this.#deps.inputKinds.get(batch.topic);
    if (kind === undefined) throw new Error(`scorer received ${batch.topic}, which is not one of its inputs`);
    // After the consumer rejoins, kafkajs fetches again from the committed offsets, which may be behind
    // what this task has already decided (its transaction still on its way): those records are skipped.
    const position = this.#positions.get(batch.topic) ?? 0n;
    const records = batch.records.filter((record) => BigInt(record.offset) >= position);
    if (records.length === 0) return;
    metrics.records.inc({ topic: batch.topic }, records.length);
    const decoded = await decodeInputs(kind, records, this.#deps.serde);
    const next = BigInt(records[records.length - 1]!.offset) + 1n;
    this.#positions.set(batch.topic, next);
    this.#clock.observe(batch.topic, next >= BigInt(batch.highWatermark));
    // Processing and staging in one synchronous step: the changelog snapshot a transaction takes
    // covers exactly the work it carries.
    const output = this.#task.process(decoded.records, this.#clock.now());
    const originals = new Map(records.map((r) => [r.offset, r]));
    const deadLetters = [...decoded.deadLetters, ...this.#deps.encoder.rejected(output.deadLetters, originals)];
    this.#commits.stage({ output, deadLetters }, records.length, { topic: batch.topic, offset: next.toString() });
    stopTimer();
    await this.#commits.ready();
  }

  #observe({ output, deadLetters }: Decided): void {
    const { metrics, now } = this.#deps;
    const wall = now();
    const label = { partition: String(this.partition) };
    metrics.late.inc(output.lateRecords);
    for (const letter of deadLetters) metrics.deadLetters.inc({ reason: letter.reason });
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
