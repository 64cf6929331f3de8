import { LogError, LogErrorCode } from './errors';
import type { LogAdmin } from './types';
import { waitForTopics } from './wait-for-topics';

/** An admin whose `partitionCount` answers with each of `answers` in turn, then 1. */
function scriptedAdmin(answers: Array<LogError | number>): { admin: LogAdmin; calls: () => number } {
  let calls = 0;
  const admin = {
    partitionCount: async () => {
      const answer = answers[calls++] ?? 1;
      if (answer instanceof LogError) throw answer;
      return answer;
    },
  } as unknown as LogAdmin;
  return { admin, calls: () => calls };
}

const missing = new LogError(LogErrorCode.UnknownTopic, 'topic fraud.scored does not exist');
const unreachable = new LogError(LogErrorCode.Broker, 'partition count: Connection error: connect ECONNREFUSED 127.0.0.1:9092', { retriable: true });
const refused = new LogError(LogErrorCode.Broker, 'partition count: not authorized', { retriable: false });

describe('waitForTopics', () => {
  it('waits out missing topics and a broker that does not answer, telling the caller once', async () => {
    const { admin, calls } = scriptedAdmin([unreachable, unreachable, missing]);
    const reasons: LogError[] = [];
    const ready = await waitForTopics(admin, ['fraud.scored'], { signal: new AbortController().signal, pollMs: 1, onWaiting: (error) => reasons.push(error) });
    expect(ready).toBe(true);
    expect(calls()).toBe(4);
    expect(reasons).toEqual([unreachable]);
  });

  it('rejects on an error no retry gets past', async () => {
    const { admin } = scriptedAdmin([missing, refused]);
    await expect(waitForTopics(admin, ['fraud.scored'], { signal: new AbortController().signal, pollMs: 1 })).rejects.toBe(refused);
  });

  it('resolves false when stopped while waiting', async () => {
    const { admin } = scriptedAdmin(Array.from({ length: 1_000 }, () => unreachable));
    const stopping = new AbortController();
    const waiting = waitForTopics(admin, ['fraud.scored'], { signal: stopping.signal, pollMs: 10_000, onWaiting: () => stopping.abort() });
    await expect(waiting).resolves.toBe(false);
  });
});
