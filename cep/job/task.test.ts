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

  describe('records ahead of their partition', () => {
    const YEAR = 365 * 86_400_000;

    it('holds a record more than aheadBoundMs (default 1 hour) ahead: it waits for the watermark without moving it', () => {
      const task = job().createTask(0);
      task.process([tx(10_000)], 0);
      const ahead = task.process([tx(10_000 + 7 * 30 * 86_400_000), tx(11_000), tx(20_000)], 0);
      expect(ahead.held.map((r) => r.eventTime)).toEqual([10_000 + 7 * 30 * 86_400_000]);
      expect(ahead.deadLetters).toEqual([]);
      // The partition's watermark follows 20,000, not the record seven months ahead.
      expect(task.onProcessingTime(10_000).watermark).toBe(20_000 - 1_000 - 1);
      const later = task.process([tx(30_000)], 10_000);
      expect([later.lateRecords, later.records.map((r) => r.transaction.eventTime)]).toEqual([0, [20_000]]);
      const end = task.endOfInput();
      expect(end.records.map((r) => r.transaction.eventTime)).toEqual([30_000, 10_000 + 7 * 30 * 86_400_000]);
    });

    it('sends a record more than maxFutureSkewMs (default 365 days) ahead to dead letters', () => {
      const task = job().createTask(0);
      task.process([tx(10_000)], 0);
      const { deadLetters, held } = task.process([tx(10_000 + YEAR + 1), tx(10_000 + YEAR)], 0);
      expect(deadLetters.map((d) => [d.record.eventTime, d.reason])).toEqual([[10_000 + YEAR + 1, 'EVENT_TIME_TOO_FAR_AHEAD']]);
      expect(held.map((r) => r.eventTime)).toEqual([10_000 + YEAR]);
    });

    it('takes three records ahead in a row as a jump of the partition clock, to the earliest of them', () => {
      const config = { inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, aheadBoundMs: 100, maxFutureSkewMs: 1_000 };
      const task = defineJob(config).createTask(0);
      const auth = (eventTime: number): SourceRecord => ({ topic: AUTH, partition: 0, offset: `${eventTime}`, key: 'acct-1', eventTime, value: authEvent({ eventTime }) });
      // A record ahead alone is held, and the run restarts with the next record that is not ahead.
      expect(task.process([tx(1_000), tx(1_200), tx(1_050), auth(50_000)], 0).held.map((r) => r.eventTime)).toEqual([1_200]);
      // Far beyond maxFutureSkewMs: the first two are dead letters, the third confirms the jump.
      const jump = task.process([tx(9_000), tx(9_050), tx(9_020), tx(9_030)], 0);
      expect(jump.deadLetters.map((d) => d.record.eventTime)).toEqual([9_000, 9_050]);
      expect(jump.held.map((r) => r.eventTime)).toEqual([9_020]);
      // The partition's newest time is now 9,030: a record 100 ms after it moves the clock again.
      expect(task.process([tx(9_130)], 0).held).toEqual([]);
      expect(task.endOfInput().records.map((r) => r.transaction.eventTime)).toEqual([1_000, 1_050, 1_200, 9_020, 9_030, 9_130]);
    });

    it('keeps the reference and a run under way across a restore', () => {
      const config = { inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, aheadBoundMs: 100, maxFutureSkewMs: 1_000 };
      const task = defineJob(config).createTask(0);
      task.process([tx(1_000), tx(5_000), tx(5_001)], 0);
      const restored = defineJob(config).createTask(0);
      restored.restore(task.snapshot());
      // 5,002 completes the run of three begun before the snapshot: the clock moves to 5,000.
      const { deadLetters, held } = restored.process([tx(5_002), tx(1_100), tx(5_090), tx(5_300)], 0);
      expect(held.map((r) => r.eventTime)).toEqual([5_002, 5_300]);
      expect(deadLetters).toEqual([]);
    });

    it('rejects invalid bounds and can be disabled with Infinity', () => {
      expect(() => defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, maxFutureSkewMs: -1 })).toThrow(/maxFutureSkewMs/);
      expect(() => defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, aheadBoundMs: 10, maxFutureSkewMs: 5 })).toThrow(/aheadBoundMs/);
      const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, aheadBoundMs: Infinity, maxFutureSkewMs: Infinity }).createTask(0);
      const output = task.process([tx(0), tx(100 * YEAR)], 0);
      expect([output.deadLetters, output.held]).toEqual([[], []]);
    });
  });

  describe('repeated transaction ids', () => {
    it('decides a transaction id once: the same body again is a duplicate, another body a conflict that leaves the first standing', () => {
      const task = job().createTask(0);
      const first = { ...tx(1_000, { transactionId: 'tx-a', amountMinor: 500 }), offset: '1' };
      const replay = { ...first, offset: '2' };
      const conflict = { ...tx(1_500, { transactionId: 'tx-a', amountMinor: 90_000 }), offset: '3' };
      const { deadLetters } = task.process([first, replay, conflict], 0);
      expect(deadLetters).toEqual([]);
      const end = task.endOfInput();
      expect(end.records.map((r) => [r.transaction.transactionId, r.transaction.amountMinor, r.features.account.count])).toEqual([['tx-a', 500, 1]]);
      expect(end.deadLetters.map((d) => [d.record.offset, d.reason])).toEqual([
        ['2', 'DUPLICATE_TRANSACTION'],
        ['3', 'CONFLICTING_TRANSACTION'],
      ]);
      expect(end.deadLetters[1]!.detail).toMatch(/tx-a .*different body: the first one stands/);
    });

    it('judges repeats in processing order, whatever the arrival order, and keeps judging them after a restore', () => {
      const a = tx(2_000, { transactionId: 'tx-b', amountMinor: 1 });
      const b = { ...tx(1_000, { transactionId: 'tx-b', amountMinor: 2 }), offset: '5' };
      const task = job().createTask(0);
      task.process([a], 0);
      task.process([b], 0);
      const end = task.endOfInput();
      // The earlier event time is processed first: it is decided, the later one conflicts.
      expect(end.records.map((r) => r.transaction.amountMinor)).toEqual([2]);
      expect(end.deadLetters.map((d) => d.record.eventTime)).toEqual([2_000]);
      const restored = job().createTask(0);
      restored.restore(task.snapshot());
      // Arriving behind the watermark now, it is decided at once.
      const late = restored.process([{ ...b, offset: '9' }], 0);
      expect([late.lateRecords, late.deadLetters.map((d) => d.reason)]).toEqual([1, ['DUPLICATE_TRANSACTION']]);
    });
  });

  describe('failures while deciding', () => {
    const throwing: KeyedStage<string> = {
      onEvent(event, context) {
        context.emit(`before ${event.eventTime}`);
        if (event.kind === 'transaction' && event.value.merchantId === 'boom') throw new TypeError('rule read undefined');
        context.emit(`after ${event.eventTime}`);
        if (event.kind === 'transaction' && event.value.merchantId === 'late-boom') context.registerTimer(event.eventTime + 10);
      },
      onTimer(time, context) {
        context.emit(`timer ${time}`);
        throw new RangeError('timer broke');
      },
    };

    it('dead-letters a record whose decision throws, takes back what it emitted and goes on with the next', () => {
      const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, stage: throwing }).createTask(0);
      task.process([tx(1_000), tx(2_000, { merchantId: 'boom' }), tx(3_000, { merchantId: 'late-boom' }), tx(4_000)], 0);
      const end = task.endOfInput();
      expect(end.records).toEqual(['before 1000', 'after 1000', 'before 3000', 'after 3000', 'before 4000', 'after 4000']);
      expect(end.origins.map((o) => o?.eventTime ?? null)).toEqual([1_000, 1_000, 3_000, 3_000, 4_000, 4_000]);
      expect(end.deadLetters.map((d) => [d.record.offset, d.reason, d.detail])).toEqual([['2000', 'PROCESSING_FAILED', 'deciding the record threw: TypeError: rule read undefined']]);
      expect(end.deadLetters[0]!.record).toMatchObject({ topic: TRANSACTIONS, partition: 0, key: 'acct-1', eventTime: 2_000 });
      expect(end.timerFailures).toEqual([{ key: 'acct-1', time: 3_010, detail: 'RangeError: timer broke' }]);
    });

    it('marks timer outputs with no origin', () => {
      const timed: KeyedStage<string> = {
        onEvent: (event, context) => context.registerTimer(event.eventTime + 5),
        onTimer: (time, context) => context.emit(`timer ${time}`),
      };
      const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10_000, stage: timed }).createTask(0);
      task.process([tx(1_000), tx(2_000)], 0);
      expect(task.endOfInput()).toMatchObject({ records: ['timer 1005'], origins: [null] });
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
    restored.process([tx(600_000), { ...tx(600_001), key: 'acct-9' }], 10_000);
    // Idleness is this process's: the partitions without data stop holding the watermark back 10 s on.
    const { records } = restored.onProcessingTime(20_000);
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
      { topic: TRANSACTIONS, key: 'a', eventTime: 3_000, value: transaction({ eventTime: 3_000, transactionId: 'tx-1' }) },
      { topic: PROFILES, key: 'a', eventTime: 3_000, value: profile({ updatedAt: 3_000 }) },
      { topic: TRANSACTIONS, key: 'a', eventTime: 3_001, value: transaction({ eventTime: 3_001, transactionId: 'tx-2' }) },
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
