// The scorer against the real broker: transactional outputs read committed, and a restart that
// resumes from the changelog topic and committed offsets without duplicating or changing output.
import { profile, transaction } from '../../cep';
import type { DeadLetter, ScoredTransaction } from '../../schemas';
import { eventually } from '../../test/eventually';
import { testKafka, uniqueName } from '../../test/integration/kafka';
import { createKafkaLog } from '../shared/stream';
import { BASE_TIME, type ScorerHarness, scorerHarness } from './scorer-harness';

const MINUTE = 60_000;

describe('scorer on Kafka', () => {
  let harness: ScorerHarness;
  beforeEach(async () => {
    harness = await scorerHarness(await createKafkaLog(testKafka('scorer-int')), { groupId: 'scorer', namespace: uniqueName('scorer-int'), partitions: 2 });
  });
  afterEach(async () => harness.close());

  it('scores, dead-letters and survives a restart with every transaction scored exactly once', async () => {
    await harness.publish('profiles', [profile({ accountId: 'acct-k', updatedAt: BASE_TIME - MINUTE, openedAt: BASE_TIME - 400 * 24 * 60 * MINUTE, creditLimitMinor: 20_000 })]);
    const first = Array.from({ length: 6 }, (_, i) => transaction({ transactionId: `k-${i}`, accountId: 'acct-k', amountMinor: 10_000 * (i + 1), eventTime: BASE_TIME + i * 2_000 }));
    let scorer = await harness.start();
    await harness.publish('transactions', first);
    await harness.publishRaw('transactions', 'acct-k', Buffer.from('garbage'));
    await eventually(() => harness.read<ScoredTransaction>('scored'), (s) => s.length >= 1, 'a first decision', 60_000);

    await scorer.stop();
    scorer = await harness.start();
    const tail = ['acct-x', 'acct-y', 'acct-z', 'acct-w'].map((accountId, i) => transaction({ transactionId: `tail-${i}`, accountId, eventTime: BASE_TIME + 10 * MINUTE }));
    const second = Array.from({ length: 4 }, (_, i) => transaction({ transactionId: `k-${6 + i}`, accountId: 'acct-k', amountMinor: 1_000, eventTime: BASE_TIME + (6 + i) * 2_000 }));
    await harness.publish('transactions', [...second, ...tail]);

    const scored = await eventually(
      () => harness.read<ScoredTransaction>('scored'),
      (s) => s.filter((r) => r.transaction.accountId === 'acct-k').length >= 10,
      "acct-k's ten transactions",
      60_000,
    );
    const ids = scored.filter((r) => r.transaction.accountId === 'acct-k').map((r) => r.transaction.transactionId);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `k-${i}`));
    const overLimit = scored.filter((r) => r.ruleHits.some((h) => h.ruleId === 'over-limit')).map((r) => r.transaction.transactionId);
    expect(overLimit).toEqual(['k-2', 'k-3', 'k-4', 'k-5']); // >= 1.5 x 20,000
    expect(scored.find((r) => r.transaction.transactionId === 'k-9')!.features.account.count).toBe(10);
    const letters = await harness.read<DeadLetter>('deadLetters');
    expect(letters.map((l) => l.reason)).toEqual(['BAD_MAGIC_BYTE']);
  });
});
