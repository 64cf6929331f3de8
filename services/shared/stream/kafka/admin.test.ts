import type { Admin } from 'kafkajs';
import { KafkaLogAdmin } from './admin';

/** An Admin whose fetchTopicOffsets fails with each of `failures` in turn, then answers. */
function adminFailing(...failures: Error[]): { admin: Admin; calls: () => number } {
  let calls = 0;
  const admin = {
    listTopics: async () => ['payments'],
    fetchTopicOffsets: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return [{ partition: 1, offset: '7', high: '7', low: '0' }, { partition: 0, offset: '5', high: '5', low: '0' }];
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
}

// kafkajs's TypeError of tulios/kafkajs#461.
const emptyAnswer = () => new TypeError("Cannot destructure property 'partitions' of 'high.pop(...)' as it is undefined.");

describe('KafkaLogAdmin.endOffsets', () => {
  it('reads again when kafkajs fails on an empty answer, and sorts by partition', async () => {
    const { admin, calls } = adminFailing(emptyAnswer(), emptyAnswer());
    await expect(new KafkaLogAdmin(admin).endOffsets('payments')).resolves.toEqual([
      { topic: 'payments', partition: 0, offset: '5' },
      { topic: 'payments', partition: 1, offset: '7' },
    ]);
    expect(calls()).toBe(3);
  });

  it('reads again after a retriable broker error (a leader not ready yet)', async () => {
    const notLeader = Object.assign(new Error('This server is not the leader for that topic-partition'), { retriable: true });
    const { admin, calls } = adminFailing(notLeader, notLeader);
    await expect(new KafkaLogAdmin(admin).endOffsets('payments')).resolves.toHaveLength(2);
    expect(calls()).toBe(3);
  });

  it('gives up after five failed attempts, with the topic in the error', async () => {
    const { admin, calls } = adminFailing(...Array.from({ length: 5 }, emptyAnswer));
    await expect(new KafkaLogAdmin(admin).endOffsets('payments')).rejects.toThrow(/read end offsets of payments/);
    expect(calls()).toBe(5);
  });

  it('does not retry a failure that is not retriable', async () => {
    const { admin, calls } = adminFailing(new Error('broker gone'));
    await expect(new KafkaLogAdmin(admin).endOffsets('payments')).rejects.toThrow(/broker gone/);
    expect(calls()).toBe(1);
  });
});
