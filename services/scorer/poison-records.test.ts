// The last line of defence: a record that fails its task the same way on every try, of a kind nothing
// upstream foresaw, is found by narrowing and dead-lettered, and the partition goes on. The failure
// here is a changelog record over its topic's max.message.bytes, which no stage checks.
import { profile, transaction } from '../../cep';
import type { DeadLetter, ScoredTransaction } from '../../schemas';
import { eventually } from '../../test/eventually';
import { LogError, LogErrorCode, createMemoryLog } from '../shared/stream';
import { DecodeError } from '../shared/serde';
import { changelogTopic } from '../shared/topics';
import { PoisonRecords, TaskFailure, isRecordShaped } from './poison-records';
import { BASE_TIME, scorerHarness } from './scorer-harness';

describe('poison records', () => {
  it('narrows a partition that fails twice in the same place to the record that fails, dead-letters it and goes on', async () => {
    const log = createMemoryLog();
    const harness = await scorerHarness(log, { groupId: 'poison', namespace: 'poison', partitions: 1 });
    try {
      await log.admin.ensureTopics([{ topic: changelogTopic('poison', 'poison'), partitions: 1, compacted: true, maxMessageBytes: 6_000 }]);
      const payments = Array.from({ length: 6 }, (_, i) =>
        transaction({ transactionId: `tx-${i}`, accountId: `acct-${i}`, cardId: `card-${i}`, eventTime: BASE_TIME + i * 1_000, merchantId: i === 3 ? 'p'.repeat(8_000) : `shop-${i}` }),
      );
      await harness.publish('profiles', payments.map((p) => profile({ accountId: p.accountId, updatedAt: BASE_TIME - 60_000, openedAt: BASE_TIME - 400 * 86_400_000 })));
      const scorer = await harness.start();
      await harness.publish('transactions', [...payments, transaction({ transactionId: 'tail', accountId: 'acct-tail', eventTime: BASE_TIME + 120_000 })]);

      const letters = await eventually(() => harness.read<DeadLetter>('deadLetters'), (d) => d.length > 0, 'the poison record dead-lettered', 30_000);
      expect(letters.map((l) => [l.offset, l.reason])).toEqual([['3', 'PROCESSING_FAILED']]);
      expect(letters[0]!.detail).toMatch(/failed its task twice: .*max\.message\.bytes 6000/);
      const scored = await eventually(() => harness.read<ScoredTransaction>('scored'), (s) => s.length >= 5, 'the others scored', 30_000);
      expect(scored.map((s) => s.transaction.transactionId).sort()).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-4', 'tx-5']);
      const counter = async (name: string) => (await harness.metricsRegistry.getSingleMetric(name)!.get()).values[0]!.value;
      // Twice in the same place, then once more in narrow mode, where the failure names the record.
      expect(await counter('peregrine_scorer_consumer_restarts_total')).toBe(3);
      expect(await counter('peregrine_scorer_poison_records_total')).toBe(1);
      expect(scorer.problems()).toEqual(['restarting: 3 consumer restarts in the last 60 s']);
      expect(scorer.healthy).toBe(false);
    } finally {
      await harness.close();
    }
  });

  describe('PoisonRecords', () => {
    const at = (offset: bigint) => new Map([['payments', offset]]);
    const failure = (committed: bigint, reached: bigint, record: { topic: string; offset: string } | null = null, cause: unknown = new TypeError('boom')) =>
      new TaskFailure(0, at(committed), at(reached), record, cause);

    it('narrows after two failures without progress, up to the furthest either reached, and quarantines what narrow mode names', () => {
      const poison = new PoisonRecords();
      expect(poison.failed(failure(10n, 40n))).toBe('noted');
      expect(poison.failed(failure(12n, 50n))).toBe('noted');
      expect(poison.guard(0).narrowUntil).toBeNull();
      expect(poison.failed(failure(12n, 45n))).toBe('narrowing');
      expect(poison.guard(0).narrowUntil).toEqual(at(50n));
      expect(poison.failed(failure(12n, 13n, { topic: 'payments', offset: '12' }))).toBe('quarantined');
      expect([...poison.guard(0).quarantined.keys()]).toEqual(['payments\u000012']);
      expect(poison.guard(1).quarantined.size).toBe(0);
    });

    it('ends narrow mode once the task passed the place without failing', () => {
      const poison = new PoisonRecords();
      poison.failed(failure(5n, 9n));
      poison.failed(failure(5n, 9n));
      poison.guard(0).narrowed();
      expect(poison.guard(0).narrowUntil).toBeNull();
    });

    it('never blames a record for the broker or the registry', () => {
      const outage = new LogError(LogErrorCode.Broker, 'connection refused', { retriable: true });
      const registry = new Error('cannot encode', { cause: new DecodeError('REGISTRY_UNAVAILABLE', 'registry down') });
      expect([isRecordShaped(outage), isRecordShaped(registry), isRecordShaped(new LogError(LogErrorCode.RecordTooLarge, 'big'))]).toEqual([false, false, true]);
      const poison = new PoisonRecords();
      expect(poison.failed(failure(1n, 2n, null, outage))).toBe('not the record');
      expect(poison.failed(failure(1n, 2n, null, outage))).toBe('not the record');
      expect(poison.guard(0).narrowUntil).toBeNull();
    });
  });
});
