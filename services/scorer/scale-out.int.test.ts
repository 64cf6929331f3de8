// Scorers sharing one group on the real broker: tasks are spread by partition number, follow their
// changelog when a member joins or leaves, and every transaction is scored exactly once throughout.
// Three partitions over two members is where kafkajs's round-robin assignor would split a partition
// number's topics between the members.
import { transaction } from '../../cep';
import type { ScoredTransaction } from '../../schemas';
import { eventually } from '../../test/eventually';
import { testKafka, uniqueName } from '../../test/integration/kafka';
import { createKafkaLog } from '../shared/stream';
import type { RunningScorer } from './scorer';
import { BASE_TIME, type ScorerHarness, scorerHarness } from './scorer-harness';

const ACCOUNTS = Array.from({ length: 12 }, (_, i) => `acct-${i}`);

/**
 * One payment of every account, ten seconds of event time after the previous round: past the
 * harness's 5-second out-of-orderness bound, so each round releases the one before it on every task.
 */
const round = (r: number) => ACCOUNTS.map((accountId) => transaction({ transactionId: `${accountId}-${r}`, accountId, amountMinor: 1_000, eventTime: BASE_TIME + r * 10_000 }));

describe('scorers sharing a group on Kafka', () => {
  let harness: ScorerHarness;
  beforeEach(async () => {
    harness = await scorerHarness(await createKafkaLog(testKafka('scale-out')), { groupId: 'scorer', namespace: uniqueName('scale-out'), partitions: 3 });
  });
  afterEach(async () => harness.close());

  const scored = () => harness.read<ScoredTransaction>('scored');
  const scoredRounds = (rounds: number) => eventually(scored, (s) => s.length >= rounds * ACCOUNTS.length, `${rounds} rounds scored`, 60_000);
  const assignments = (...scorers: RunningScorer[]) => scorers.map((s) => s.assignedPartitions);

  it('share the tasks by partition number, move them as members come and go, and score every transaction exactly once', async () => {
    const first = await harness.start();
    await harness.publish('transactions', [...round(0), ...round(1)]);
    await scoredRounds(1);
    expect(first.assignedPartitions).toEqual([0, 1, 2]);

    const second = await harness.start();
    const [mine, theirs] = await eventually(
      () => assignments(first, second),
      ([a, b]) => a.length > 0 && b.length > 0 && a.length + b.length === 3,
      'both members owning tasks',
      60_000,
    );
    expect([...mine, ...theirs].sort()).toEqual([0, 1, 2]);
    await harness.publish('transactions', [...round(2), ...round(3)]);
    await scoredRounds(3);

    await first.stop();
    await eventually(() => second.assignedPartitions, (p) => p.length === 3, 'the remaining member owning every task', 60_000);
    await harness.publish('transactions', [...round(4), ...round(5)]);
    // Round 5 waits for a later one, as the newest payments always wait out the bound.
    const all = await scoredRounds(5);

    const ids = all.map((s) => s.transaction.transactionId);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.length).toBe(5 * ACCOUNTS.length);
    for (const accountId of ACCOUNTS) {
      const own = all.filter((s) => s.transaction.accountId === accountId);
      expect(own.map((s) => s.transaction.transactionId)).toEqual(Array.from({ length: 5 }, (_, r) => `${accountId}-${r}`));
      // The last decided payment's 60-second velocity counts all five: the state moved with its task.
      expect(own[4]!.features.account.count).toBe(5);
    }
    expect(second.healthy).toBe(true);
    // The handoffs were rebalances, not crashes: no member restarted its consumer.
    expect((await harness.metrics.restarts.get()).values[0]?.value ?? 0).toBe(0);
  });
});
