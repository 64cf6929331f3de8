import type { ScoredTransaction } from '../../schemas/types';
import { authEvent, profile, transaction } from '../testing/fixtures';
import { JobTestDriver } from '../testing/job-test-driver';
import { INPUTS } from '../testing/scenarios';
import { defineJob } from './define-job';
import { TASK_META_KEY } from './task-snapshot';
import type { KeyedEvent, KeyedStage, SourceRecord } from './types';

const [PROFILES, AUTH, TRANSACTIONS] = INPUTS.map((input) => input.topic) as [string, string, string];
const job = (extra: { allowedLatenessMs?: number } = {}) => defineJob({ inputs: INPUTS, outOfOrdernessMs: 1_000, idleTimeoutMs: 10_000, ...extra });

function tx(eventTime: number, overrides: Parameters<typeof transaction>[0] = {}): SourceRecord {
  return { topic: TRANSACTIONS, partition: 0, offset: `${eventTime}`, key: 'acct-1', eventTime, value: transaction({ eventTime, transactionId: `tx-${eventTime}`, ...overrides }) };
}

describe('Task', () => {
  it('applies a profile version before a transaction at the same event time, whatever the arrival order', () => {
    const task = job().createTask(0);
    task.process([tx(5_000)], 0);
    task.process([{ topic: PROFILES, partition: 0, offset: 0n, key: 'acct-1', eventTime: 5_000, value: profile({ updatedAt: 5_000, riskTier: 'HIGH' }) }], 0);
    const [scored] = task.endOfInput().records;
    expect(scored!.profile?.riskTier).toBe('HIGH');
    expect(scored!.signals).toEqual([]);
  });

  it('releases records only when the watermark reaches them, in (event time, rank, partition, offset) order with int64 offsets', () => {
    const task = job().createTask(0);
    const first = task.process(
      [
        { ...tx(3_000, { transactionId: 'offset-10' }), offset: '10' },
        { ...tx(3_000, { transactionId: 'offset-9' }), offset: 9n },
        { ...tx(3_000, { transactionId: 'offset-2^63-1' }), offset: '9223372036854775807' },
        tx(2_000),
      ],
      0,
    );
    expect(first.records).toEqual([]);
    const second = task.process([{ topic: AUTH, partition: 0, offset: 0n, key: 'other', eventTime: 4_001, value: authEvent({ eventTime: 4_001 }) }], 0);
    expect(second.watermark).toBe(-Infinity);
    task.process([{ topic: PROFILES, partition: 0, offset: 0n, key: 'other', eventTime: 4_001, value: profile({ accountId: 'other', updatedAt: 4_001 }) }], 0);
    const released = task.process([tx(5_000)], 0);
    expect(released.watermark).toBe(3_000);
    expect(released.records.map((s) => s.transaction.transactionId)).toEqual(['tx-2000', 'offset-9', 'offset-10', 'offset-2^63-1']);
  });

  it('processes a record at or behind the watermark at once, flagged late, counted and decided at the watermark', () => {
    const task = job().createTask(0);
    task.process([tx(10_000)], 0);
    task.onProcessingTime(10_000);
    expect(task.watermark).toBe(8_999);
    const onTime = task.process([tx(9_000)], 10_000);
    expect(onTime).toMatchObject({ lateRecords: 0, records: [] });
    const late = task.process([tx(8_999)], 10_000);
    expect(late.lateRecords).toBe(1);
    expect(late.records).toHaveLength(1);
    expect(late.records[0]).toMatchObject({ late: true, watermark: 8_999 });
    expect(late.records[0]!.features.account.count).toBe(1);
  });

  it('flags transactions later than the allowed lateness and of unknown accounts with signals, never dropping them', () => {
    const task = job({ allowedLatenessMs: 500 }).createTask(0);
    task.process([tx(10_000)], 0);
    task.onProcessingTime(10_000);
    const { records } = task.process([tx(8_600), tx(8_400)], 10_000);
    expect(records.map((r) => r.signals)).toEqual([['unknown-account'], ['unknown-account', 'beyond-allowed-lateness']]);
  });

  it('sends records it cannot key or place in time to dead letters with a reason, without throwing', () => {
    const task = job().createTask(0);
    const good = tx(1_000);
    const { deadLetters, records } = task.process(
      [
        { ...good, key: null },
        { ...good, key: '' },
        { ...good, eventTime: undefined },
        { ...good, eventTime: Number.NaN },
        { ...good, eventTime: 1.5 },
        { ...good, topic: 'unknown.topic' },
        { ...good, partition: 3 },
        { ...good, offset: '-1' },
        { ...good, value: null },
      ],
      0,
    );
    expect(records).toEqual([]);
    expect(deadLetters.map((d) => d.reason)).toEqual([
      'MISSING_KEY',
      'MISSING_KEY',
      'INVALID_EVENT_TIME',
      'INVALID_EVENT_TIME',
      'INVALID_EVENT_TIME',
      'UNKNOWN_INPUT',
      'WRONG_PARTITION',
      'INVALID_OFFSET',
      'MISSING_VALUE',
    ]);
    expect(task.metrics(0).pendingRecords).toBe(0);
  });

  describe('future event time guard', () => {
    const YEAR = 365 * 86_400_000;

    it('sends a record more than maxFutureSkewMs (default 365 days) ahead of its partition to dead letters, without moving the watermark', () => {
      const task = job().createTask(0);
      task.process([tx(10_000)], 0);
      const { deadLetters, watermark } = task.process([tx(10_000 + YEAR + 1), tx(10_000 + YEAR)], 0);
      expect(deadLetters.map((d) => d.reason)).toEqual(['EVENT_TIME_TOO_FAR_AHEAD']);
      expect(deadLetters[0]!.record.eventTime).toBe(10_000 + YEAR + 1);
      // The accepted record at exactly the limit is now the partition's newest; nothing else moved.
      expect(watermark).toBe(-Infinity);
      expect(task.endOfInput().watermark).toBe(10_000 + YEAR);
    });

    it('accepts any time for a partition first record and judges each partition by its own newest time', () => {
      const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, maxFutureSkewMs: 100 }).createTask(0);
      const auth = (eventTime: number): SourceRecord => ({ topic: AUTH, partition: 0, offset: `${eventTime}`, key: 'acct-1', eventTime, value: authEvent({ eventTime }) });
      const { deadLetters } = task.process([tx(1_000), auth(50_000), auth(50_100), tx(1_101), tx(1_100)], 0);
      expect(deadLetters.map((d) => [d.record.topic, d.record.eventTime, d.reason])).toEqual([[TRANSACTIONS, 1_101, 'EVENT_TIME_TOO_FAR_AHEAD']]);
    });

    it('still applies after a restore, against the restored partition maximum', () => {
      const config = { inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, maxFutureSkewMs: 100 };
      const task = defineJob(config).createTask(0);
      task.process([tx(1_000)], 0);
      const restored = defineJob(config).createTask(0);
      restored.restore(task.snapshot());
      const { deadLetters } = restored.process([tx(1_101), tx(1_100)], 0);
      expect(deadLetters.map((d) => [d.record.eventTime, d.reason])).toEqual([[1_101, 'EVENT_TIME_TOO_FAR_AHEAD']]);
    });

    it('rejects an invalid limit and can be disabled with Infinity', () => {
      expect(() => defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, maxFutureSkewMs: -1 })).toThrow(/maxFutureSkewMs/);
      const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, maxFutureSkewMs: Infinity }).createTask(0);
      expect(task.process([tx(0), tx(100 * 365 * 86_400_000)], 0).deadLetters).toEqual([]);
    });
  });

  it('puts pending records, state and task meta in the changelog, and tombstones a key once its state expired', () => {
    const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, session: { gapMs: 120_000 } }).createTask(0);
    task.process([tx(1_000)], 0);
    const pending = task.changelog();
    expect(pending.map((r) => r.key)).toEqual([TASK_META_KEY, 'acct-1']);
    expect(pending[1]!.value).not.toBeNull();
    expect(task.changelog().map((r) => r.key)).toEqual([TASK_META_KEY]);
    // From 10 s on the partitions without data are idle and stop holding the watermark back.
    task.process([{ ...tx(1_000 + 120_000), key: 'acct-2' }], 10_000);
    expect(task.metrics(0).keys).toBe(2);
    task.process([{ ...tx(1_000 + 120_002), key: 'acct-2' }], 10_000);
    expect(task.changelog()).toContainEqual({ key: 'acct-1', value: null });
    expect(task.metrics(0).keys).toBe(1);
  });

  it('keeps profile state forever while velocity and session state expire', () => {
    const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, session: { gapMs: 1_000 } }).createTask(0);
    task.process([{ topic: PROFILES, partition: 0, offset: 0n, key: 'acct-1', eventTime: 0, value: profile() }, tx(1_000)], 0);
    task.process([{ ...tx(500_000), key: 'acct-2' }, { ...tx(500_001), key: 'acct-2' }], 10_000);
    const restored = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, session: { gapMs: 1_000 } }).createTask(0);
    restored.restore(task.snapshot());
    const { records } = restored.process([tx(600_000), { ...tx(600_001), key: 'acct-9' }], 10_000);
    const acct1 = records.find((r) => r.transaction.eventTime === 600_000)!;
    expect(acct1.profile).toEqual(profile());
    expect(acct1.features.account.count).toBe(1);
    // acct-2 (no profile) expired and was deleted; acct-9 waits for the watermark.
    expect(restored.metrics(0)).toMatchObject({ keys: 2, pendingRecords: 1 });
  });

  it('refuses state of another partition', () => {
    const snapshot = job().createTask(0).snapshot();
    expect(() => job().createTask(1).restore(snapshot)).toThrow(/partition 0/);
  });
});

describe('downstream stage', () => {
  type Seen = string;
  const tracing: KeyedStage<Seen, { seen: number }> = {
    state: {
      name: 'trace',
      isEmpty: (s) => s.seen === 0,
      codec: { version: 1, encode: (s, out) => void out.uvarint(s.seen), decode: (input) => ({ seen: input.uvarint() }) },
    },
    onEvent(event: KeyedEvent, context) {
      const seen = (context.state?.seen ?? 0) + 1;
      context.setState({ seen });
      context.emit(`${event.kind}@${event.eventTime}#${seen}`);
      if (event.kind === 'auth') context.registerTimer(event.eventTime + 2_000);
      if (event.kind === 'profile') context.deleteTimer(event.eventTime + 1_000);
    },
    onTimer(time, context) {
      context.emit(`timer@${time} wm=${context.watermark} seen=${context.state?.seen}`);
    },
  };

  it('sees every keyed event in order with its state, and timers fire after the events at or before their time', () => {
    const driver = new JobTestDriver(defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, stage: tracing }), { partitions: 1 });
    driver.pipeBatch([
      { topic: AUTH, key: 'a', eventTime: 1_000, value: authEvent({ eventTime: 1_000 }) },
      { topic: AUTH, key: 'a', eventTime: 2_000, value: authEvent({ eventTime: 2_000 }) },
      { topic: TRANSACTIONS, key: 'a', eventTime: 3_000, value: transaction({ eventTime: 3_000 }) },
      { topic: PROFILES, key: 'a', eventTime: 3_000, value: profile({ updatedAt: 3_000 }) },
      { topic: TRANSACTIONS, key: 'a', eventTime: 3_001, value: transaction({ eventTime: 3_001 }) },
    ]);
    driver.endOfInput();
    expect(driver.readOutput()).toEqual([
      'auth@1000#1',
      'auth@2000#2',
      'profile@3000#3',
      'transaction@3000#4',
      'timer@3000 wm=3000 seen=4',
      'transaction@3001#5',
    ]);
  });

  it('receives profile versions with the version they succeed and auth events with the current profile', () => {
    const events: KeyedEvent[] = [];
    const capture: KeyedStage<never> = { onEvent: (event) => void events.push(event) };
    const driver = new JobTestDriver(defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, stage: capture }), { partitions: 1 });
    driver.pipe({ topic: PROFILES, key: 'a', eventTime: 1, value: profile({ updatedAt: 1, emailFingerprint: 'old' }) });
    driver.pipe({ topic: PROFILES, key: 'a', eventTime: 5, value: profile({ updatedAt: 5, emailFingerprint: 'new' }) });
    driver.pipe({ topic: AUTH, key: 'a', eventTime: 6, value: authEvent({ eventTime: 6 }) });
    driver.endOfInput();
    expect(events.map((e) => (e.kind === 'profile' ? e.previous?.emailFingerprint ?? null : e.kind === 'auth' ? e.profile?.emailFingerprint : e.kind))).toEqual([null, 'old', 'new']);
  });

  it('emits ScoredTransaction records by default', () => {
    const driver = new JobTestDriver(job(), { partitions: 1 });
    driver.pipe({ topic: TRANSACTIONS, key: 'acct-1', eventTime: 7, value: transaction({ eventTime: 7 }) }).endOfInput();
    const [scored] = driver.readOutput() as ScoredTransaction[];
    expect(scored).toMatchObject({ ruleHits: [], score: 0, decision: 'APPROVE', late: false, watermark: 7, profile: null, signals: ['unknown-account'] });
    expect(scored!.features.extra).toEqual({});
  });
});
