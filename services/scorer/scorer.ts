// The scorer's consume-score-produce loop over a RecordLog (Kafka or the in-memory log). Tasks are
// created per assigned partition number (scorers of one group get whole numbers, see
// co-partitioned-assigner.ts), restored from their changelog partition before their first batch
// (invariant 5), and fenced by one transactional id per partition (kafkajs has no KIP-447).
import type { Job } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import { isFenced, type GroupConsumer, type PartitionBatch, type RecordLog, type TopicPartition } from '../shared/stream';
import { type TopicNames, changelogTopic, outputTopicSpecs } from '../shared/topics';
import type { ScorerMetrics } from './metrics';
import { scorerCodecs } from './codecs';
import type { DecisionStep } from './decisions';
import { FencedTasks } from './fenced-tasks';
import { HEALTH_DEFAULTS, HEALTH_PROBLEMS, ScorerHealth } from './health';
import { PoisonRecords, TaskFailure } from './poison-records';
import { scorerInputs } from './inputs';
import { restoreTask } from './restore';
import { TaskHost } from './task-host';


/** How often end offsets are read to find backlogs the consumer has not delivered yet. */
const BACKLOG_REFRESH_MS = 1_000;
/** How long a fenced task may wait for its revocation: a rejoin takes up to a heartbeat (3 s). */
const FENCE_GRACE_MS = 10_000;

export interface ScorerOptions {
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly job: Job<RuleEngineOutput>;
  readonly groupId: string;
  readonly topics: TopicNames;
  /** Namespace of the changelog topic, as of the other topics (default none). */
  readonly namespace?: string;
  /** Partitions of every input topic (they are co-partitioned); created when missing. */
  readonly partitions: number;
  /** Input values above this size are dead-lettered (default DEFAULT_MAX_INPUT_BYTES). */
  readonly maxInputBytes?: number;
  /** Who decides payments the job scored with a feature vector (default: the rules). */
  readonly decisions?: DecisionStep;
  /** How often idle partitions are checked, in wall-clock ms. */
  readonly tickMs: number;
  readonly metrics: ScorerMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Wall-clock backoff before a crashed consumer rejoins. */
  readonly restartDelayMs?: number;
  /** Wall-clock wait for the revocation of a fenced task's partition before the consumer restarts. */
  readonly fenceGraceMs?: number;
}

export interface RunningScorer {
  /** True while the consumer is joined and delivering, and no problem stands. */
  readonly healthy: boolean;
  /** Why it is not healthy beyond the join: restarting repeatedly, partitions stalled (see health.ts). */
  problems(): string[];
  readonly assignedPartitions: number[];
  stop(): Promise<void>;
}

async function prepareTopics(log: RecordLog, topics: TopicNames, changelog: string, partitions: number): Promise<void> {
  const inputs = scorerInputs(topics);
  await log.admin.ensureTopics([
    ...inputs.map(({ topic, kind }) => ({ topic, partitions, compacted: kind === 'profile', history: true })),
    ...outputTopicSpecs(topics, partitions),
    { topic: changelog, partitions, compacted: true },
  ]);
  for (const { topic } of inputs) {
    const count = await log.admin.partitionCount(topic);
    if (count !== partitions) {
      throw new Error(`${topic} has ${count} partitions, the scorer expects ${partitions}: inputs must be co-partitioned`);
    }
  }
}

export async function startScorer(options: ScorerOptions): Promise<RunningScorer> {
  const { log, serde, job, groupId, topics, partitions, logger } = options;
  const now = options.now ?? Date.now;
  const changelog = changelogTopic(groupId, options.namespace);
  const inputs = scorerInputs(topics);
  await prepareTopics(log, topics, changelog, partitions);
  const codecs = await scorerCodecs({ admin: log.admin, serde, topics, changelog, partitions, maxInputBytes: options.maxInputBytes, decisions: options.decisions });
  const deps = {
    groupId,
    serde,
    ...codecs,
    metrics: options.metrics,
    logger,
    now,
    onFailure: (error: Error, partition: number) => (isFenced(error) ? fenced(partition, error) : crashed(error)),
  };
  const health = new ScorerHealth({ now, ...HEALTH_DEFAULTS });
  const poison = new PoisonRecords();
  const hosts = new Map<number, TaskHost>();
  /** Fenced tasks still closing: stop waits for them, as it does for the tasks it closes itself. */
  const fencedClosing = new Set<Promise<void>>();
  const fencedTasks = new FencedTasks(options.fenceGraceMs ?? FENCE_GRACE_MS, (error) => crashed(error));
  let consumer: GroupConsumer | null = null;
  let healthy = false;
  let stopping = false;
  let restarting = false;
  let restartTimer: NodeJS.Timeout | undefined;
  /** The restart under way, if any; it never rejects. */
  let restarted: Promise<void> = Promise.resolve();

  async function assign(assigned: TopicPartition[]): Promise<void> {
    for (const partition of new Set(assigned.map((tp) => tp.partition))) {
      fencedTasks.release(partition);
      if (hosts.has(partition)) continue;
      // The producer comes first: creating it fences a zombie owner and completes its open transaction,
      // so the changelog read next is the committed truth.
      const producer = await log.transactionalProducer(`${groupId}-${partition}`);
      const task = await restoreTask(log, job, changelog, partition);
      const positions = await committedPositions(partition);
      const guard = poison.guard(partition);
      if (guard.narrowUntil !== null) logger.warn({ partition, until: Object.fromEntries([...guard.narrowUntil].map(([t, o]) => [t, String(o)])) }, 'task failed twice in the same place: deciding its records one at a time to find the one that fails');
      // The ticker sees the task only once its backlog is known: a clock that ran meanwhile would take
      // the inputs for idle and let the watermark past the records still to come.
      const host = new TaskHost(task, producer, positions, deps, guard);
      await refreshBacklog([host]);
      hosts.set(partition, host);
      logger.info({ partition, watermark: task.watermark }, 'task restored');
    }
  }

  /** Where the task resumes in each input: the group's committed offset, or the beginning. */
  async function committedPositions(partition: number): Promise<Map<string, bigint>> {
    const positions = new Map<string, bigint>();
    for (const { topic } of inputs) {
      const committed = (await log.admin.committedOffsets(groupId, topic)).find((p) => p.partition === partition)?.offset ?? null;
      positions.set(topic, BigInt(committed ?? '0'));
    }
    return positions;
  }

  /** Tells tasks of records in the log they have not consumed yet, including partitions never delivered. */
  async function refreshBacklog(targets: Iterable<TaskHost>): Promise<void> {
    const list = [...targets];
    if (list.length === 0) return;
    for (const { topic } of inputs) {
      const ends = await log.admin.endOffsets(topic);
      for (const host of list) {
        const end = BigInt(ends.find((p) => p.partition === host.partition)?.offset ?? '0');
        host.noteEndOffset(topic, end);
        health.observe(host.partition, topic, host.positions.get(topic) ?? 0n, end);
      }
    }
  }

  /** Another member restored the task, which fences this one: its uncommitted work is the new owner's to redo. */
  function fenced(partition: number, error: Error): void {
    const host = hosts.get(partition);
    if (host === undefined) return;
    hosts.delete(partition);
    fencedTasks.add(partition, error);
    logger.warn({ partition, err: error }, 'task fenced by a newer owner; dropped until the group revokes its partition');
    const closing = host.close().catch((err: unknown) => logger.warn({ err, partition }, 'closing a fenced task failed'));
    fencedClosing.add(closing);
    void closing.finally(() => fencedClosing.delete(closing));
  }

  async function revoke(revoked: TopicPartition[]): Promise<void> {
    for (const partition of new Set(revoked.map((tp) => tp.partition))) {
      fencedTasks.release(partition);
      health.forget(partition);
      const host = hosts.get(partition);
      // Out of the map first: the new owner may fence what the task still commits while it closes,
      // which is the handoff going as it should, not a fenced task to wait for.
      hosts.delete(partition);
      await host?.close();
    }
  }

  async function closeAll(): Promise<void> {
    fencedTasks.clear();
    await revoke([...hosts.keys()].map((partition) => ({ topic: '', partition })));
  }

  async function run(): Promise<void> {
    // Batches may wait on the registry while decoding: the batches of one fetch are handled side by side.
    consumer = log.consumer({ groupId, topics: inputs.map((i) => i.topic), fromBeginning: true, concurrentPartitions: partitions * inputs.length });
    await consumer.run({
      onAssigned: assign,
      onRevoked: revoke,
      eachBatch: async (batch: PartitionBatch) => {
        const host = hosts.get(batch.partition);
        // Fetched before the rejoin that hands the partition to its new owner: left for that owner.
        if (host === undefined && fencedTasks.has(batch.partition)) return;
        if (host === undefined) throw new Error(`batch for partition ${batch.partition}, which has no task`);
        await host.processBatch(batch);
      },
      onProgress: (progress) => hosts.get(progress.partition)?.noteProgress(progress),
      onCrash: crashed,
    });
    healthy = true;
  }

  /** The consumer crashed or a task's transaction failed: every task is restored and consumes again from the committed offsets. */
  function crashed(error: Error): void {
    healthy = false;
    if (stopping || restarting) return;
    restarting = true;
    options.metrics.restarts.inc();
    health.crashed();
    logger.error({ err: error }, 'scorer consumer crashed; rejoining from committed offsets');
    if (error instanceof TaskFailure) {
      const verdict = poison.failed(error);
      if (verdict === 'quarantined') {
        options.metrics.poisoned.inc();
        logger.error({ partition: error.partition, record: error.record, err: error.cause }, 'record found failing its task: it is dead-lettered (PROCESSING_FAILED) and skipped from now on');
      }
    }
    scheduleRestart();
  }

  function scheduleRestart(): void {
    restartTimer = setTimeout(() => (restarted = restart()), options.restartDelayMs ?? 1000);
  }

  async function restart(): Promise<void> {
    try {
      await consumer?.stop();
      await closeAll();
      if (!stopping) await run();
      restarting = false;
    } catch (err) {
      logger.error({ err }, 'scorer restart failed; retrying');
      if (!stopping) scheduleRestart();
    }
  }

  let refreshing: Promise<void> | null = null;
  let lastRefresh = 0;
  const ticker = setInterval(() => {
    if (refreshing === null && now() - lastRefresh >= BACKLOG_REFRESH_MS) {
      lastRefresh = now();
      refreshing = refreshBacklog(hosts.values())
        .catch((err: unknown) => logger.warn({ err }, 'could not read end offsets; idleness judged on what was consumed'))
        .finally(() => (refreshing = null));
    }
    for (const host of hosts.values()) {
      host.tick().catch((err: unknown) => logger.error({ err, partition: host.partition }, 'idle tick failed; the next batch retries'));
    }
    const reasons = new Set(health.problems().map((p) => p.reason));
    for (const reason of HEALTH_PROBLEMS) options.metrics.unhealthy.set({ reason }, reasons.has(reason) ? 1 : 0);
  }, options.tickMs);

  await run();
  logger.info({ groupId, partitions }, 'scorer running');

  return {
    get healthy() {
      return healthy && health.problems().length === 0;
    },
    problems() {
      return health.problems().map((p) => `${p.reason}: ${p.detail}`);
    },
    get assignedPartitions() {
      return [...hosts.keys()].sort((a, b) => a - b);
    },
    async stop() {
      stopping = true;
      clearInterval(ticker);
      clearTimeout(restartTimer);
      // A backlog refresh in flight still talks to the broker: the caller may close the client next.
      await refreshing;
      // Stopping the consumer first ends a restart's join, which could otherwise last as long as the
      // broker is unreachable; the restart's consumer is stopped once it has returned.
      await consumer?.stop();
      await restarted;
      await consumer?.stop();
      await closeAll();
      await Promise.all(fencedClosing);
      healthy = false;
    },
  };
}
