import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceRecord } from '../../cep';
import { BATCH, WorkloadReader, writeWorkload } from './workload';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'peregrine-workload-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const profile = (account: number, updatedAt: number) => ({
  accountId: `acct-${account}`,
  updatedAt,
  homeCountry: 'DE',
  homeLat: 52.52,
  homeLon: 13.405,
  riskTier: 'LOW',
  creditLimitMinor: 500_000,
  currency: 'EUR',
  emailFingerprint: 'e1',
  phoneFingerprint: 'p1',
  openedAt: 1_600_000_000_000,
});
const auth = (account: number, eventTime: number) => ({ eventId: `auth-${eventTime}`, accountId: `acct-${account}`, type: 'LOGIN_FAILURE', deviceId: null, ip: '10.0.0.1', country: 'FR', eventTime });
const transaction = (account: number, eventTime: number) => ({
  transactionId: `tx-${eventTime}`,
  accountId: `acct-${account}`,
  cardId: `card-${account}`,
  merchantId: 'm-7',
  mcc: '5411',
  amountMinor: 12_345,
  currency: 'EUR',
  country: 'DE',
  lat: -33.87,
  lon: 151.21,
  channel: 'POS',
  deviceId: 'dév-ü',
  ip: null,
  authStatus: 'DECLINED',
  eventTime,
});

function recordsOf(count: number): SourceRecord[] {
  const topics = ['accounts.profiles', 'auth.events', 'payments.transactions'];
  const makers = [profile, auth, transaction];
  const offsets = [0, 0, 0];
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 3;
    const value = makers[kind]!(i % 7, 1_700_000_000_000 + i);
    return { topic: topics[kind]!, partition: 0, offset: String(offsets[kind]!++), key: value.accountId, eventTime: 1_700_000_000_000 + i, value };
  });
}

describe('workload files', () => {
  test('read back record for record: every field, nulls and non-ASCII text, offsets per kind, in batches', () => {
    const records = recordsOf(BATCH + 5);
    const path = join(dir, 'w.pgwl');
    expect(writeWorkload(path, [records.slice(0, 10), records.slice(10)])).toBe(records.length);
    const reader = new WorkloadReader(path);
    expect(reader.size).toBe(records.length);
    expect(reader.batches).toBe(2);
    expect(reader.accounts).toBe(7);
    expect([...reader.batch(0), ...reader.batch(1)]).toEqual(records);
    // A batch decodes afresh on every call: the same records, new objects.
    expect(reader.batch(1)).toEqual(records.slice(BATCH));
    expect(reader.batch(1)[0]).not.toBe(reader.batch(1)[0]);
  });

  test('a file that is not a workload, or is cut short, is refused with a clear error', () => {
    const notOne = join(dir, 'not.pgwl');
    writeFileSync(notOne, 'hello, world');
    expect(() => new WorkloadReader(notOne)).toThrow(/is not a workload file/);
    const path = join(dir, 'w.pgwl');
    writeWorkload(path, [recordsOf(3)]);
    const cut = join(dir, 'cut.pgwl');
    const bytes = readFileSync(path);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 4));
    expect(() => new WorkloadReader(cut)).toThrow(/cut\.pgwl is cut short: record 3 of 3 runs past its end/);
  });

  test('a record of a topic the format has no kind for is refused when writing', () => {
    const record = { topic: 'other.topic', partition: 0, offset: '0', key: 'k', eventTime: 1, value: {} };
    expect(() => writeWorkload(join(dir, 'x.pgwl'), [[record]])).toThrow(/no record kind for topic other.topic/);
  });
});
