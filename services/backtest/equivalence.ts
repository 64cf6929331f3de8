// The promise a backtest rests on, checked against a log of either kind: a simulated history in the
// log, the live scorer consumes it, the recorder records it, and the replay of the recording writes,
// for every payment the live scorer decided, byte for byte the record the live scorer wrote.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { starterPack } from '../../rules/starter';
import type { ScoredTransaction } from '../../schemas';
import { eventually } from '../../test/eventually';
import { recordHistory } from '../recorder/record';
import { createLogger } from '../shared/log';
import type { LogRecord, OutgoingRecord, RecordLog } from '../shared/stream';
import { topicNames } from '../shared/topics';
import { scoringJob } from '../scorer/job';
import { createScorerMetrics } from '../scorer/metrics';
import { startScorer } from '../scorer/scorer';
import { readTopic } from '../simulator/testing/memory-run';
import { startRegistryServer } from '../registry';
import { createAvroSerde } from '../shared/serde';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { runSimulation } from '../simulator/run';
import { recordingTopics, replayRecording } from './replay';
import { featureSchema } from '../../cep';
import { type DecisionStep, decisionStep } from '../scorer/decisions';
import { loadModel } from '../scorer/model';

const MODEL_FIXTURE = join(__dirname, '..', 'scorer', 'model', 'testing', 'starter-model');

const SETTINGS = { outOfOrdernessMs: 5_000, idleTimeoutMs: 100, allowedLatenessMs: 60_000 };

/** The rules decide, or the model made for the starter pack in the scorer's tests. */
async function deciderOf(kind: 'rules' | 'model'): Promise<{ features: boolean; decisions?: DecisionStep }> {
  if (kind === 'rules') return { features: false };
  const model = await loadModel(MODEL_FIXTURE, featureSchema(starterPack.rules.map((rule) => rule.id)));
  // Thresholds low enough that the model reviews and declines some payments, whose explanations are exact.
  return { features: true, decisions: decisionStep({ model: () => model, thresholds: { review: 0.05, decline: 0.5 } }) };
}

export function describeBacktestEquivalence(name: string, createLog: () => RecordLog | Promise<RecordLog>): void {
  describe(`${name}: a backtest decides as the live scorer`, () => {
    it.each(['rules', 'model'] as const)('writes, for every record the live scorer wrote from a history, the same bytes (%s deciding)', async (kind) => {
      const { features, decisions } = await deciderOf(kind);
      const registry = await startRegistryServer({ port: 0 });
      const backend = { log: await createLog(), registry, serde: createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) }), close: () => registry.close() };
      const namespace = `equivalence-${Date.now()}`;
      const topics = topicNames(namespace);
      const logger = createLogger('equivalence', process.env.TEST_LOG_LEVEL ?? 'silent');
      try {
        const summary = await runSimulation(
          { seed: 7, count: 4_000, rate: 0, eventRate: 50, scenarios: 1, malformed: 12, lateRatio: 0.01, partitions: 2, namespace },
          { log: backend.log, serde: backend.serde, logger },
        );
        const scorer = await startScorer({
          log: backend.log,
          serde: backend.serde,
          job: scoringJob({ topics, pack: starterPack, ...SETTINGS, features }),
          decisions,
          groupId: 'live',
          namespace,
          topics,
          partitions: 2,
          tickMs: 20,
          metrics: createScorerMetrics(new Registry()),
          logger,
        });
        // Caught up, with every partition idle: the live scorer holds only the last bound of each task.
        let live: LogRecord[] = [];
        await eventually(
          async () => (live = [...(await readTopic(backend.log, topics.scored)), ...(await readTopic(backend.log, topics.deadLetters))]).length,
          (count) => count >= summary.transactions - 200 && count === live.length,
          'the live scorer through the backlog',
          60_000,
        );
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        live = [...(await readTopic(backend.log, topics.scored)), ...(await readTopic(backend.log, topics.deadLetters))];
        await scorer.stop();

        const out = join(mkdtempSync(join(tmpdir(), 'equivalence-')), 'history.avro');
        await recordHistory({ log: backend.log, topics, registryUrl: backend.registry.url, out, source: name });
        const replayed: OutgoingRecord[] = [];
        const replay = await replayRecording({
          path: out,
          variants: [{ name: 'starter', job: scoringJob({ topics, pack: starterPack, ...SETTINGS, features }), decisions, onOutput: (record) => void replayed.push(record) }],
          idleTimeoutMs: SETTINGS.idleTimeoutMs,
          logger,
        });
        expect(recordingTopics(replay.header)).toMatchObject({ scored: topics.scored, deadLetters: topics.deadLetters });

        const decoded = async (value: Buffer | null) => {
          const result = await backend.serde.decode<ScoredTransaction & { offset?: string; sourceTopic?: string }>(value);
          if (!result.ok) throw result.error;
          return result.value;
        };
        const keyOf = async (topic: string, value: Buffer | null) => {
          const v = await decoded(value);
          return topic === topics.scored ? `scored ${v.transaction.transactionId}` : `dlq ${v.sourceTopic}@${v.offset}`;
        };
        const backtest = new Map<string, Buffer | null>();
        for (const record of replayed) if (record.topic !== topics.alerts) backtest.set(await keyOf(record.topic, record.value), record.value);
        expect(live.length).toBeGreaterThan(3_000);
        let same = 0;
        for (const record of live) {
          const key = await keyOf(record.topic, record.value);
          expect([key, backtest.get(key)?.toString('base64')]).toEqual([key, record.value?.toString('base64')]);
          same++;
        }
        // The replay also decides what the live scorer still holds: at most the last bound of each task.
        expect(same).toBe(live.length);
        expect(backtest.size - live.length).toBeLessThan(600);
        expect(backtest.size).toBe(summary.transactions);
        if (kind === 'model') {
          const scored = await Promise.all(live.filter((record) => record.topic === topics.scored).map((record) => decoded(record.value)));
          expect(scored.every((s) => s.model !== null && s.model.contributions.length > 0)).toBe(true);
          expect(scored.some((s) => s.decision !== 'APPROVE' && s.model!.method === 'tree-shap')).toBe(true);
        }
      } finally {
        await backend.log.close();
        await backend.close();
      }
    }, 120_000);
  });
}
