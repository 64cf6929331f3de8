// Runs one engine task against the log: the task owns one partition number of every input topic,
// and all it writes for a batch (decisions, alerts, dead letters, changelog) commits in one Kafka
// transaction together with the consumed offsets (invariant 4). Calls are serialised per task, so
// the idleness ticker never interleaves with a batch.
import type { EventKind, Task, TaskOutput } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { DeadLetter } from '../../schemas';
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import type { LogRecord, OutgoingRecord, PartitionBatch, TransactionalProducer } from '../shared/stream';
import type { CatchUpClock } from './catch-up-clock';
import { decodeInputs } from './input-decoder';
import type { ScorerMetrics } from './metrics';
import type { OutputEncoder } from './output-encoder';

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
}

export class TaskHost {
  readonly partition: number;
  readonly #task: Task<RuleEngineOutput>;
  readonly #producer: TransactionalProducer;
  readonly #deps: TaskHostDeps;
  readonly #clock: CatchUpClock;
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
  }

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
      await this.#commit(output, [], new Map(), null);
    });
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
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
    metrics.records.inc({ topic: batch.topic }, batch.records.length);
    const decoded = await decodeInputs(kind, batch.records, this.#deps.serde);
    const last = batch.records[batch.records.length - 1]!;
    const next = BigInt(last.offset) + 1n;
    this.#positions.set(batch.topic, next);
    this.#clock.observe(batch.topic, next >= BigInt(batch.highWatermark));
    const output = this.#task.process(decoded.records, this.#clock.now());
    const originals = new Map(batch.records.map((r) => [r.offset, r]));
    await this.#commit(output, decoded.deadLetters, originals, { topic: batch.topic, offset: next.toString() });
    stopTimer();
  }

  async #commit(
    output: TaskOutput<RuleEngineOutput>,
    decodeFailures: readonly DeadLetter[],
    originals: ReadonlyMap<string, LogRecord>,
    consumed: { topic: string; offset: string } | null,
  ): Promise<void> {
    const { encoder } = this.#deps;
    const deadLetters = [...decodeFailures, ...encoder.rejected(output.deadLetters, originals)];
    const records: OutgoingRecord[] = [
      ...(await encoder.decisions(output.records)),
      ...(await encoder.deadLetters(deadLetters)),
      ...encoder.changelog(this.partition, this.#task.changelog()),
    ];
    const tx = await this.#producer.beginTransaction();
    try {
      await tx.send(records);
      if (consumed) {
        await tx.sendOffsets({ groupId: this.#deps.groupId, offsets: [{ topic: consumed.topic, partition: this.partition, offset: consumed.offset }] });
      }
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      throw err;
    }
    this.#observe(output, deadLetters);
  }

  #observe(output: TaskOutput<RuleEngineOutput>, deadLetters: readonly DeadLetter[]): void {
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
