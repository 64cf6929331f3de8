// Each malformed kind ends up as the failure it promises: the serde's decode error for broken bytes,
// or a decodable record with the absurd value (or missing key) the scorer must dead-letter.
import type { Transaction } from '../../schemas/types';
import { createRecordEncoder } from './encoder';
import { MALFORMED_KINDS, MalformedRecords, type MalformedKind } from './malformed';
import { Ids, Merchants, createAccount } from './population';
import { Random } from './random';
import { Topics } from '../shared/topics';
import { memoryBackend, type TestBackend } from './testing/memory-run';

const AT = Date.UTC(2026, 2, 2, 9);

describe('malformed records', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await memoryBackend();
  });
  afterAll(() => backend.close());

  const kinds = Object.keys(MALFORMED_KINDS) as MalformedKind[];

  async function encodedKinds() {
    const random = new Random('malformed');
    const ids = new Ids('m');
    const merchants = new Merchants(random, ids);
    const source = new MalformedRecords(random, ids, createAccount(random, ids, AT), merchants);
    const encoder = await createRecordEncoder(backend.serde, Topics, 4);
    return Promise.all(kinds.map(async () => {
      const record = source.next(AT);
      return { record, outgoing: await encoder.encode(record) };
    }));
  }

  it('gives a keyless record its partition, round robin from 0, so that a seed publishes the same offsets on Kafka', async () => {
    const encoder = await createRecordEncoder(backend.serde, Topics, 3);
    const random = new Random('keyless');
    const ids = new Ids('k');
    const source = new MalformedRecords(random, ids, createAccount(random, ids, AT), new Merchants(random, ids));
    const keyless = [];
    while (keyless.length < 4) {
      const outgoing = await encoder.encode(source.next(AT));
      if (outgoing.key === null) keyless.push(outgoing.partition);
      else expect(outgoing.partition).toBeUndefined();
    }
    expect(keyless).toEqual([0, 1, 2, 0]);
  });

  it('cycles through the kinds in a fixed order', async () => {
    expect((await encodedKinds()).map(({ record }) => record.malformed)).toEqual(kinds);
  });

  it.each(['wrong-magic-byte', 'not-avro', 'unknown-schema-id', 'truncated-body', 'trailing-garbage'] as const)(
    '%s fails to decode with its expected reason',
    async (kind) => {
      const { outgoing } = (await encodedKinds()).find(({ record }) => record.malformed === kind)!;
      const decoded = await backend.serde.decode(outgoing.value);
      expect(decoded.ok).toBe(false);
      expect(!decoded.ok && decoded.error.code).toBe(MALFORMED_KINDS[kind]);
    },
  );

  it.each<[MalformedKind, (tx: Transaction, key: Buffer | null | undefined) => boolean]>([
    ['missing-key', (_tx, key) => key === null],
    ['negative-amount', (tx) => tx.amountMinor < 0],
    ['unknown-currency', (tx) => tx.currency === 'ZZZ'],
    ['future-event-time', (tx) => tx.eventTime > AT + 9 * 365 * 86_400_000],
  ])('%s decodes, carrying the fault the scorer must reject', async (kind, faulty) => {
    const { record, outgoing } = (await encodedKinds()).find((e) => e.record.malformed === kind)!;
    const decoded = await backend.serde.decode<Transaction>(outgoing.value);
    if (!decoded.ok) throw decoded.error;
    expect(faulty(decoded.value, outgoing.key)).toBe(true);
    // Stamped with the time it was generated at, whatever the value claims: brokers refuse far-future timestamps.
    expect(outgoing.timestamp).toBe(record.timestamp);
    expect(outgoing.timestamp).toBe(AT);
  });
});
