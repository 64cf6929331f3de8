// The scorer's loop on the in-memory log: every input ends as exactly one scored record or one dead
// letter, rule hits carry their evidence, and a restart resumes from the changelog without changing
// a single output byte.
import { authEvent, profile, transaction } from '../../cep';
import type { Alert, DeadLetter, ScoredTransaction, Transaction } from '../../schemas';
import { eventually } from '../../test/eventually';
import { createMemoryLog } from '../shared/stream';
import type { RunningScorer } from './scorer';
import { BASE_TIME, type ScorerHarness, scorerHarness } from './scorer-harness';

const MINUTE = 60_000;

/** Transactions far enough ahead on every partition that all earlier records pass the watermark. */
function flushTail(accounts: string[], time: number): Transaction[] {
  return accounts.map((accountId, i) => transaction({ transactionId: `flush-${i}`, accountId, cardId: `flush-card-${i}`, eventTime: time }));
}

const FLUSH_ACCOUNTS = ['flush-a', 'flush-b', 'flush-c', 'flush-d', 'flush-e', 'flush-f'];

describe('scorer on the in-memory log', () => {
  let harness: ScorerHarness;
  beforeEach(async () => {
    harness = await scorerHarness(createMemoryLog(), { groupId: 'scorer-test' });
  });
  afterEach(async () => harness.close());

  it('scores every transaction once, with the profile as of its time and explained rule hits', async () => {
    await harness.start();
    await harness.publish('profiles', [profile({ accountId: 'acct-1', updatedAt: BASE_TIME - MINUTE, openedAt: BASE_TIME - 400 * 24 * 60 * MINUTE, creditLimitMinor: 100_000 })]);
    const txs = [
      transaction({ transactionId: 'tx-small', accountId: 'acct-1', amountMinor: 5_000, eventTime: BASE_TIME }),
      transaction({ transactionId: 'tx-huge', accountId: 'acct-1', amountMinor: 200_000, eventTime: BASE_TIME + 1_000 }),
      transaction({ transactionId: 'tx-stranger', accountId: 'acct-unknown', amountMinor: 5_000, eventTime: BASE_TIME + 2_000 }),
    ];
    await harness.publish('transactions', [...txs, ...flushTail(FLUSH_ACCOUNTS, BASE_TIME + 10 * MINUTE)]);

    const scored = await eventually(
      () => harness.read<ScoredTransaction>('scored'),
      (s) => txs.every((tx) => s.some((r) => r.transaction.transactionId === tx.transactionId)),
      'every transaction scored',
    );
    const byId = new Map(scored.map((s) => [s.transaction.transactionId, s]));
    expect(scored.filter((s) => txs.some((t) => t.transactionId === s.transaction.transactionId))).toHaveLength(3);
    expect(byId.get('tx-small')).toMatchObject({ decision: 'APPROVE', ruleHits: [], late: false });
    expect(byId.get('tx-small')!.profile?.creditLimitMinor).toBe(100_000);
    const huge = byId.get('tx-huge')!;
    expect(huge.ruleHits.map((h) => h.ruleId)).toContain('over-limit');
    expect(huge.decision).not.toBe('APPROVE');
    expect(huge.ruleHits.find((h) => h.ruleId === 'over-limit')!.explanation).toMatch(/limit/i);
    expect(byId.get('tx-stranger')!.signals).toContain('unknown-account');

    const alerts = await eventually(() => harness.read<Alert>('alerts'), (a) => a.some((x) => x.transactionId === 'tx-huge'), 'the alert');
    expect(alerts.filter((a) => a.transactionId === 'tx-huge')).toHaveLength(1);
  });

  it('dead-letters malformed and absurd records with a reason and loses nothing', async () => {
    await harness.start();
    const good = transaction({ transactionId: 'tx-good', accountId: 'acct-2', eventTime: BASE_TIME });
    await harness.publish('transactions', [good]);
    await harness.publishRaw('transactions', 'acct-2', Buffer.from('not avro at all'));
    await harness.publishRaw('transactions', 'acct-2', Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2]));
    await harness.publish('transactions', [
      transaction({ transactionId: 'tx-negative', accountId: 'acct-2', amountMinor: -5, eventTime: BASE_TIME + 1 }),
      transaction({ transactionId: 'tx-xyz', accountId: 'acct-2', currency: 'XYZ', eventTime: BASE_TIME + 2 }),
    ]);
    await harness.publish('authEvents', [authEvent({ eventId: 'auth-old', accountId: 'acct-2', eventTime: 5 })]);
    await harness.publish('transactions', flushTail(FLUSH_ACCOUNTS, BASE_TIME + 10 * MINUTE));

    const letters = await eventually(() => harness.read<DeadLetter>('deadLetters'), (d) => d.length >= 5, 'five dead letters');
    expect(letters.map((l) => l.reason).sort()).toEqual(['BAD_MAGIC_BYTE', 'INVALID_AMOUNT', 'INVALID_EVENT_TIME', 'UNKNOWN_CURRENCY', 'UNKNOWN_SCHEMA_ID']);
    expect(letters.find((l) => l.value?.toString() === 'not avro at all')).toMatchObject({ sourceTopic: harness.topics.transactions, key: Buffer.from('acct-2') });
    expect(letters.find((l) => l.reason === 'INVALID_AMOUNT')!.detail).toMatch(/amountMinor -5 is not an integer number of minor units/);
    const scored = await eventually(() => harness.read<ScoredTransaction>('scored'), (s) => s.some((r) => r.transaction.transactionId === 'tx-good'), 'the good transaction');
    expect(scored.filter((s) => s.transaction.accountId === 'acct-2').map((s) => s.transaction.transactionId)).toEqual(['tx-good']);
  });

  it('stops only once a backlog refresh in flight has finished: nothing reads the log after stop', async () => {
    const scorer = await harness.start();
    // Restoring a task reads end offsets too, and the consumer's stop waits for that on its own.
    await eventually(() => scorer.assignedPartitions, (p) => p.length === 2, 'both tasks restored');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const admin = harness.log.admin;
    const endOffsets = admin.endOffsets.bind(admin);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let finished = 0;
    jest.spyOn(admin, 'endOffsets').mockImplementation(async (topic) => {
      started++;
      await gate;
      finished++;
      return endOffsets(topic);
    });
    await eventually(() => started, (n) => n > 0, 'a backlog refresh reading end offsets');

    let stopped = false;
    const stopping = scorer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(started);
  });

  it('stopped while restarting after a crash, it leaves no consumer running', async () => {
    const scorer = await harness.start();
    const consumer = harness.log.consumer.bind(harness.log);
    let stopped: Promise<void> | undefined;
    jest.spyOn(harness.log, 'consumer').mockImplementation((options) => {
      // Only a restart creates a consumer from now on: the scorer is stopped while it joins.
      stopped ??= Promise.resolve().then(() => scorer.stop());
      return consumer(options);
    });
    // Newer producers with the tasks' transactional ids fence them: the next commit crashes the scorer.
    for (const partition of [0, 1]) await harness.log.transactionalProducer(`scorer-test-${partition}`);
    await harness.publish('transactions', [transaction({ transactionId: 'tx-fenced', accountId: 'acct-5', eventTime: BASE_TIME }), ...flushTail(FLUSH_ACCOUNTS, BASE_TIME + MINUTE)]);
    await eventually(() => stopped !== undefined, Boolean, 'a restart creating its consumer');
    await stopped;

    const before = (await harness.read<ScoredTransaction>('scored')).length;
    await harness.publish('transactions', flushTail(FLUSH_ACCOUNTS, BASE_TIME + 10 * MINUTE));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await harness.read<ScoredTransaction>('scored')).toHaveLength(before);
  });

  describe('output identical to an uninterrupted run', () => {
    const burst = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        transaction({ transactionId: `burst-${from + i}`, accountId: 'acct-3', cardId: 'card-3', amountMinor: 1_000, eventTime: BASE_TIME + (from + i) * 2_000 }),
      );
    type Interruption = (h: ScorerHarness, scorer: RunningScorer) => Promise<void>;
    const runAll = async (h: ScorerHarness, interrupt: Interruption | null) => {
      const scorer = await h.start();
      await h.publish('transactions', burst(0, 5));
      await eventually(() => h.read<ScoredTransaction>('scored'), (s) => s.length >= 2, 'two decisions');
      if (interrupt) await interrupt(h, scorer);
      await h.publish('transactions', [...burst(5, 5), ...flushTail(FLUSH_ACCOUNTS, BASE_TIME + 10 * MINUTE)]);
      const scored = await eventually(() => h.read<ScoredTransaction>('scored'), (s) => s.filter((r) => r.transaction.accountId === 'acct-3').length >= 10, 'the burst scored');
      return scored.filter((r) => r.transaction.accountId === 'acct-3');
    };
    const compare = async (interrupt: Interruption) => {
      const uninterrupted = await runAll(harness, null);
      const other = await scorerHarness(createMemoryLog(), { groupId: 'scorer-test' });
      try {
        const interrupted = await runAll(other, interrupt);
        expect(interrupted).toEqual(uninterrupted);
        expect(uninterrupted.at(-1)!.ruleHits.map((h) => h.ruleId)).toContain('velocity-burst');
        return other;
      } finally {
        await other.close();
      }
    };

    it('after a restart, resuming from the changelog', async () => {
      await compare(async (h, scorer) => {
        await scorer.stop();
        await h.start();
      });
    });

    it('after its tasks are fenced while their partitions stay assigned: it restarts and redoes the aborted work', async () => {
      const other = await compare(async (h) => {
        // Newer producers with the tasks' transactional ids, as a transaction timeout would leave them.
        for (const partition of [0, 1]) await h.log.transactionalProducer(`scorer-test-${partition}`);
      });
      expect((await other.metrics.restarts.get()).values[0]?.value).toBe(1);
    });
  });
});
