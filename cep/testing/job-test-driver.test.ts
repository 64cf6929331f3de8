import { defineJob } from '../job/define-job';
import { transaction } from './fixtures';
import { JobTestDriver, partitionOf } from './job-test-driver';

const job = () => defineJob({ inputs: [{ topic: 'tx', kind: 'transaction' }], outOfOrdernessMs: 0, idleTimeoutMs: 1_000 });

describe('JobTestDriver', () => {
  it('routes by key hash, numbers offsets per topic-partition and releases on processing-time idleness', () => {
    const driver = new JobTestDriver(job(), { partitions: 4 });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    for (const key of keys) driver.pipe({ topic: 'tx', key, eventTime: 10, value: transaction({ accountId: key, eventTime: 10 }) });
    // Every partition's own watermark is 9 at most: nothing released until end of input.
    expect(driver.readOutput()).toEqual([]);
    driver.endOfInput();
    const out = driver.readOutput();
    expect(out.map((s) => s.transaction.accountId).sort()).toEqual(keys);
    expect(new Set(keys.map((k) => partitionOf(k, 4))).size).toBeGreaterThan(1);
  });

  it('dead-letters a record for a partition the job has no task for', () => {
    const driver = new JobTestDriver(job(), { partitions: 1 });
    driver.pipe({ topic: 'tx', partition: 5, key: 'a', eventTime: 1, value: transaction() });
    expect(driver.readDeadLetters().map((d) => d.reason)).toEqual(['WRONG_PARTITION']);
  });

  it('restarts a task from its snapshot without losing pending records', () => {
    const driver = new JobTestDriver(job(), { partitions: 1 });
    driver.pipe({ topic: 'tx', key: 'a', eventTime: 5, value: transaction({ eventTime: 5 }) });
    driver.restartTask(0);
    driver.pipe({ topic: 'tx', key: 'a', eventTime: 6, value: transaction({ eventTime: 6, transactionId: 'second' }) });
    expect(driver.readOutput().map((s) => s.transaction.eventTime)).toEqual([5]);
    driver.advanceProcessingTime(1_000);
    expect(driver.task(0).metrics(0).idlePartitions).toHaveLength(1);
    driver.endOfInput();
    expect(driver.readOutput().map((s) => [s.transaction.transactionId, s.features.account.count])).toEqual([['second', 2]]);
  });

  it('continues offsets after an explicit one', () => {
    const driver = new JobTestDriver(job(), { partitions: 1 });
    driver.pipe({ topic: 'tx', key: 'a', offset: '41', eventTime: 5, value: transaction({ eventTime: 5, transactionId: 'x' }) });
    driver.pipe({ topic: 'tx', key: 'a', eventTime: 5, value: transaction({ eventTime: 5, transactionId: 'y' }) });
    driver.pipe({ topic: 'tx', key: 'a', offset: 0n, eventTime: 5, value: transaction({ eventTime: 5, transactionId: 'w' }) });
    driver.endOfInput();
    expect(driver.readOutput().map((s) => s.transaction.transactionId)).toEqual(['w', 'x', 'y']);
  });
});
