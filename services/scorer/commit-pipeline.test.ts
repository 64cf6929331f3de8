import type { LogTransaction, OutgoingRecord, TopicPartitionOffset, TransactionalProducer } from '../shared/stream';
import { CommitPipeline, type CommitSource } from './commit-pipeline';

interface RecordedTransaction {
  readonly records: OutgoingRecord[];
  readonly offsets: TopicPartitionOffset[];
  outcome: 'open' | 'committed' | 'aborted';
}

/** A producer that records its transactions; `hold()` keeps the next commits waiting until released. */
function recordingProducer() {
  const transactions: RecordedTransaction[] = [];
  let gate: Promise<void> = Promise.resolve();
  let failNext: Error | null = null;
  const producer: TransactionalProducer = {
    transactionalId: 'test-0',
    async beginTransaction(): Promise<LogTransaction> {
      const tx: RecordedTransaction = { records: [], offsets: [], outcome: 'open' };
      transactions.push(tx);
      return {
        send: async (records) => void tx.records.push(...records),
        sendOffsets: async ({ offsets }) => void tx.offsets.push(...offsets),
        commit: async () => {
          await gate;
          const error = failNext;
          failNext = null;
          if (error) throw error;
          tx.outcome = 'committed';
        },
        abort: async () => void (tx.outcome = 'aborted'),
      };
    },
    close: async () => undefined,
  };
  return {
    producer,
    transactions,
    hold(): () => void {
      let release = () => undefined as void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    failNextCommit(error: Error): void {
      failNext = error;
    },
  };
}

const out = (name: string): OutgoingRecord => ({ topic: 'out', value: Buffer.from(name) });
const names = (records: readonly OutgoingRecord[]) => records.map((r) => r.value?.toString());
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Work is a list of output names; the snapshot is the state as it stands when a transaction takes the work. */
function pipelineOver(log: ReturnType<typeof recordingProducer>, options: { maxStagedRecords?: number } = {}) {
  const state = { version: 0 };
  const committed: string[][] = [];
  const failures: Error[] = [];
  const source: CommitSource<string[]> = {
    snapshot: () => [{ topic: 'changelog', value: Buffer.from(`state-${state.version}`) }],
    encode: async (work) => work.flat().map(out),
    committed: (work) => void committed.push(work.flat()),
  };
  const pipeline = new CommitPipeline<string[]>({
    producer: log.producer,
    groupId: 'group',
    partition: 0,
    source,
    maxStagedRecords: options.maxStagedRecords ?? 1_000,
    onFailure: (error) => void failures.push(error),
  });
  return { pipeline, state, committed, failures };
}

describe('CommitPipeline', () => {
  it('commits the work staged in one turn of the event loop in one transaction, with the offsets of every topic and the state it left', async () => {
    const log = recordingProducer();
    const { pipeline, state, committed } = pipelineOver(log);
    state.version = 1;
    pipeline.stage(['a'], 1, { topic: 'payments', offset: '5' });
    state.version = 2;
    pipeline.stage(['b'], 2, { topic: 'logins', offset: '9' });
    state.version = 3;
    pipeline.stage(['c'], 1, { topic: 'payments', offset: '6' });
    await pipeline.drain();

    expect(log.transactions).toHaveLength(1);
    expect(names(log.transactions[0]!.records)).toEqual(['a', 'b', 'c', 'state-3']);
    expect(log.transactions[0]!.offsets).toEqual([
      { topic: 'payments', partition: 0, offset: '6' },
      { topic: 'logins', partition: 0, offset: '9' },
    ]);
    expect(log.transactions[0]!.outcome).toBe('committed');
    expect(committed).toEqual([['a', 'b', 'c']]);
  });

  it('puts work staged while a transaction is on its way into the next one, with the state as of that work', async () => {
    const log = recordingProducer();
    const { pipeline, state, committed } = pipelineOver(log);
    const release = log.hold();
    state.version = 1;
    pipeline.stage(['a'], 1, { topic: 'payments', offset: '1' });
    await turn();
    state.version = 2;
    pipeline.stage(['b'], 1, { topic: 'payments', offset: '2' });
    pipeline.stage(['idle release'], 0, null);
    expect(committed).toEqual([]);
    release();
    await pipeline.drain();

    expect(log.transactions.map((t) => names(t.records))).toEqual([
      ['a', 'state-1'],
      ['b', 'idle release', 'state-2'],
    ]);
    expect(log.transactions.map((t) => t.offsets.map((o) => o.offset))).toEqual([['1'], ['2']]);
    expect(committed).toEqual([['a'], ['b', 'idle release']]);
  });

  it('sends no offsets for work without input', async () => {
    const log = recordingProducer();
    const { pipeline } = pipelineOver(log);
    pipeline.stage(['released by idleness'], 0, null);
    await pipeline.drain();
    expect(log.transactions[0]!.offsets).toEqual([]);
    expect(log.transactions[0]!.outcome).toBe('committed');
  });

  it('makes a batch wait while more input records than the limit are staged, until a transaction takes them', async () => {
    const log = recordingProducer();
    const { pipeline } = pipelineOver(log, { maxStagedRecords: 10 });
    const release = log.hold();
    pipeline.stage(['a'], 4, { topic: 'payments', offset: '4' });
    await turn();
    pipeline.stage(['b'], 10, { topic: 'payments', offset: '14' });
    let ready = false;
    const waiting = pipeline.ready().then(() => (ready = true));
    await turn();
    expect(ready).toBe(false);
    release();
    await waiting;
    expect(log.transactions).toHaveLength(2);
    await pipeline.drain();
  });

  it('fails for good when a transaction fails: the transaction is aborted, the owner told, and no work is taken any more', async () => {
    const log = recordingProducer();
    const { pipeline, committed, failures } = pipelineOver(log);
    log.failNextCommit(new Error('fenced'));
    pipeline.stage(['a'], 1, { topic: 'payments', offset: '1' });

    await expect(pipeline.drain()).rejects.toThrow('fenced');
    expect(log.transactions[0]!.outcome).toBe('aborted');
    expect(failures.map((e) => e.message)).toEqual(['fenced']);
    expect(committed).toEqual([]);
    expect(() => pipeline.stage(['b'], 1, { topic: 'payments', offset: '2' })).toThrow('fenced');
    await expect(pipeline.ready()).resolves.toBeUndefined();
  });
});
