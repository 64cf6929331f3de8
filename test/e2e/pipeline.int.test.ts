// End to end on real Kafka and PostgreSQL: the simulator publishes ~20,000 payments with every
// scenario, near-miss, late and malformed record; the scorer and fraud store run as they would in
// production. Every payment must end exactly once in PostgreSQL or in the dead-letter topic, every
// scenario must be caught by its rule, and no near-miss may fire.
import { starterPack } from '../../rules/starter';
import type { DeadLetter, FraudLabel, ScoredTransaction, Transaction } from '../../schemas';
import { createTestDatabase, type TestDatabase } from '../../services/fraud-store/testing/database';
import type { LogRecord, RecordLog } from '../../services/shared/stream';
import { type RunSummary, runSimulation } from '../../services/simulator';
import { testKafka, uniqueName } from '../integration/kafka';
import { type Pipeline, publishFlushTail, serdeFor, startPipeline } from './pipeline';

const PARTITIONS = 4;
const SIMULATION = { seed: 'e2e', rate: 0, count: Number(process.env.E2E_PAYMENTS ?? 20_000), scenarios: 1, malformed: 9, lateRatio: 0.002, partitions: PARTITIONS };

async function readAll(log: RecordLog, topic: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    await log.readToEnd({ topic, partition, offset: '0' }, (batch) => void records.push(...batch));
  }
  return records;
}

/** `check` says how far along things are, or null once they are done. */
async function waitFor(what: string, check: () => Promise<string | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let progress = await check(); progress !== null; progress = await check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${progress}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe('the pipeline end to end', () => {
  let db: TestDatabase;
  let pipeline: Pipeline;
  let summary: RunSummary;
  let inputs: LogRecord[];
  let payments: Map<string, Transaction>;
  let deadLetters: DeadLetter[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const namespace = uniqueName('e2e');
    pipeline = await startPipeline({ kafka: () => testKafka('e2e'), namespace, partitions: PARTITIONS, db: db.connect() }, SIMULATION);
    const { log, serde } = pipeline.client;
    summary = await runSimulation({ ...SIMULATION, namespace }, { log, serde });

    inputs = await readAll(log, pipeline.topics.transactions);
    payments = new Map();
    for (const record of inputs) {
      const decoded = await serde.decode<Transaction>(record.value);
      if (decoded.ok) payments.set(`${record.partition}@${record.offset}`, decoded.value);
    }
    const plausible = [...payments.values()].map((p) => p.eventTime).filter((t) => t < Date.UTC(2030, 0, 1));
    await publishFlushTail(pipeline.client, pipeline.topics, Math.max(...plausible) + 30 * 60_000);

    // Followed as it is written, as the fraud store follows fraud.scored: one consumer, not a read per poll.
    const deadLetterRecords: LogRecord[] = [];
    const follower = log.consumer({ groupId: uniqueName('e2e-dlq'), topics: [pipeline.topics.deadLetters] });
    await follower.run({ eachBatch: async (batch) => void deadLetterRecords.push(...batch.records) });
    await waitFor(
      'every payment to be stored or dead-lettered',
      async () => {
        const [{ count }] = await db.query<{ count: string }>('SELECT count(*) FROM scored_transactions');
        const ended = Number(count) + deadLetterRecords.length;
        return ended >= summary.transactions ? null : `${count} stored and ${deadLetterRecords.length} dead-lettered of ${summary.transactions}`;
      },
      8 * 60_000,
    );
    await follower.stop();
    deadLetters = [];
    for (const record of deadLetterRecords) {
      const decoded = await serde.decode<DeadLetter>(record.value);
      if (!decoded.ok) throw decoded.error;
      deadLetters.push(decoded.value);
    }
  }, 15 * 60_000);

  afterAll(async () => {
    await pipeline?.close();
    await db?.drop();
  });

  it('ends every payment exactly once in PostgreSQL or the dead-letter topic', async () => {
    const stored = new Set((await db.query<{ transaction_id: string }>('SELECT transaction_id FROM scored_transactions')).map((r) => r.transaction_id));
    const dead = new Set(deadLetters.filter((d) => d.sourceTopic === pipeline.topics.transactions).map((d) => `${d.partition}@${d.offset}`));
    const outcomes = inputs
      .filter((r) => !payments.get(`${r.partition}@${r.offset}`)?.transactionId.startsWith('flush-'))
      .map((r) => {
        const where = `${r.partition}@${r.offset}`;
        const inStore = stored.has(payments.get(where)?.transactionId ?? '');
        return inStore === dead.has(where) ? `${where}: ${inStore ? 'stored and dead-lettered' : 'lost'}` : 'once';
      });
    expect(outcomes.filter((o) => o !== 'once')).toEqual([]);
    expect(outcomes).toHaveLength(summary.transactions);
    expect(dead.size).toBe(summary.malformed.total);
    expect(stored.size).toBe(summary.transactions - summary.malformed.total);
  });

  it('dead-letters each malformed record with the reason the simulator intended', () => {
    const reasons = deadLetters.map((d) => d.reason).sort();
    const expected = Object.entries(summary.malformed.byReason).flatMap(([reason, n]) => Array<string>(n).fill(reason)).sort();
    expect(reasons).toEqual(expected);
  });

  it('catches every injected scenario with its rule and fires on no near-miss', async () => {
    const labels: FraudLabel[] = [];
    for (const record of await readAll(pipeline.client.log, pipeline.topics.labels)) {
      const decoded = await pipeline.client.serde.decode<FraudLabel>(record.value);
      if (decoded.ok) labels.push(decoded.value);
    }
    // The behavioural generator's labels are no rule's test: the backtest measures what catches them.
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(labels.filter((l) => l.behavioural)).toHaveLength(sum(summary.behavioural));
    const ruleLabels = labels.filter((l) => !l.behavioural);
    expect(ruleLabels.length).toBe(sum(summary.scenarios) + sum(summary.nearMisses));
    // A scenario completing on a payment must hit that payment; one completing on an auth event
    // (failed logins, lockout) must raise an account-level alert with the rule.
    const fired = async (label: FraudLabel): Promise<boolean> => {
      const payment = await db.query('SELECT 1 FROM scored_transactions WHERE transaction_id = $1', [label.eventId]);
      if (payment.length > 0) {
        return (await db.query('SELECT 1 FROM rule_hits WHERE transaction_id = $1 AND rule_id = $2', [label.eventId, label.expectedRuleId])).length > 0;
      }
      const alerts = await db.query('SELECT 1 FROM alerts WHERE account_id = $1 AND $2 = ANY (rule_ids)', [label.accountId, label.expectedRuleId]);
      return alerts.length > 0;
    };
    const wrong: string[] = [];
    for (const label of ruleLabels) {
      if ((await fired(label)) === label.fraud) continue;
      const [scored] = await db.query<{ record: ScoredTransaction }>('SELECT record FROM scored_transactions WHERE transaction_id = $1', [label.eventId]);
      const seen = scored ? `late=${scored.record.late} hits=[${scored.record.ruleHits.map((h) => h.ruleId).join(',')}] signals=[${scored.record.signals.join(',')}]` : 'not a stored payment';
      wrong.push(`${label.scenario} (${label.expectedRuleId}) on ${label.eventId}: ${label.fraud ? 'missed' : 'fired'}; ${seen}`);
    }
    expect(wrong).toEqual([]);
    expect(new Set(ruleLabels.filter((l) => l.fraud).map((l) => l.expectedRuleId))).toEqual(new Set(starterPack.rules.map((r) => r.id)));
  });

  it('lets an independent consumer decode fraud.scored through the registry', async () => {
    const reader = serdeFor(pipeline.registryUrl);
    const scored = await readAll(pipeline.client.log, pipeline.topics.scored);
    const decoded = await Promise.all(scored.map((r) => reader.decode<ScoredTransaction>(r.value)));
    expect(decoded.filter((d) => !d.ok)).toEqual([]);
    const ids = decoded.map((d) => (d.ok ? d.value.transaction.transactionId : ''));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(scored.map((r) => r.partition)).size).toBe(PARTITIONS);
    const stored = (await db.query<{ transaction_id: string }>('SELECT transaction_id FROM scored_transactions')).map((r) => r.transaction_id);
    expect(ids.sort()).toEqual(stored.sort());
  });
});
