// Records that once stopped the scorer or slipped through it, written by a producer that is not the
// simulator, each between two ordinary payments of its own account. One scorer run takes them all;
// then, per kind: the bad record ends as a dead letter with its reason (or, ahead of its partition,
// is held without moving the watermark), the payments around it are scored and on time, and the
// consumer never restarted. Run on the in-memory log (unit) and on the real broker (integration).
import { authEvent, profile, transaction } from '../../cep';
import { type SchemaName, selfContainedSchema } from '../../schemas';
import type { AccountProfile, AuthEvent, DeadLetter, ScoredTransaction, Transaction } from '../../schemas';
import { publishFlushTail } from '../../test/e2e/pipeline';
import { eventually } from '../../test/eventually';
import { type RecordLog, createPartitionChooser } from '../shared/stream';
import { outputTopicSpecs, valueSubject } from '../shared/topics';
import type { RunningScorer } from './scorer';
import { BASE_TIME, type ScorerHarness, scorerHarness } from './scorer-harness';

const PARTITIONS = 2;
const SECOND = 1_000;
/** The scored topic's limit in this run: ordinary records are far smaller, the oversized one far larger. */
const SCORED_MAX_MESSAGE_BYTES = 16_000;
const SEVEN_MONTHS = 7 * 30 * 86_400_000;

/**
 * Each kind: how its bad record is written, and how it must end: as a dead letter with this reason,
 * or (SCORED) as an ordinary scored payment, unusual but valid.
 */
const KINDS = {
  'an AuthEvent on payments.transactions': 'WRONG_RECORD_TYPE',
  'a Transaction on auth.events': 'WRONG_RECORD_TYPE',
  'a FraudLabel on payments.transactions': 'WRONG_RECORD_TYPE',
  'an incompatible version of Transaction under its own subject': 'INCOMPATIBLE_SCHEMA',
  'a value of about a megabyte': 'RECORD_TOO_LARGE',
  'a payment whose scored record exceeds its topic\'s max.message.bytes': 'OUTPUT_TOO_LARGE',
  'the same payment twice': 'DUPLICATE_TRANSACTION',
  'a second payment with the same id and another body': 'CONFLICTING_TRANSACTION',
  'a payment on a partition its key does not hash to': 'WRONG_PARTITION',
  'a string that is not UTF-8': 'INVALID_UTF8',
  'a string with a NUL character': 'NUL_CHARACTER',
  'a magic byte of 1 on payments.transactions': 'BAD_MAGIC_BYTE',
  'an empty value on payments.transactions': 'TRUNCATED',
  'a tombstone on payments.transactions': 'TRUNCATED',
  'a payment cut in half': 'TRUNCATED',
  'a schema id no registry handed out': 'UNKNOWN_SCHEMA_ID',
  'bytes after a valid payment': 'INVALID_BODY',
  'a payment without a key': 'MISSING_KEY',
  'a payment keyed by another account': 'KEY_MISMATCH',
  'a negative amount': 'INVALID_AMOUNT',
  'an amount over 10^12 minor units': 'INVALID_AMOUNT',
  'an unknown currency': 'UNKNOWN_CURRENCY',
  'a latitude that is NaN': 'INVALID_VALUE',
  'an infinite longitude': 'INVALID_VALUE',
  'an event time in 1970': 'INVALID_EVENT_TIME',
  'a negative event time': 'INVALID_EVENT_TIME',
  'an event time in 2200': 'INVALID_EVENT_TIME',
  'an empty transaction id': 'INVALID_VALUE',
  'an MCC that is not four digits': 'INVALID_VALUE',
  'a zero amount': 'SCORED',
  'a profile cut in half': 'TRUNCATED',
  'a profile keyed by another account': 'KEY_MISMATCH',
  'a profile in an unknown currency': 'UNKNOWN_CURRENCY',
  'a profile with a negative credit limit': 'INVALID_AMOUNT',
  'a profile dated 1970': 'INVALID_EVENT_TIME',
  'a login with a magic byte of 1': 'BAD_MAGIC_BYTE',
  'a login keyed by another account': 'KEY_MISMATCH',
  'a login with an empty event id': 'INVALID_VALUE',
  'a login in 1970': 'INVALID_EVENT_TIME',
} as const;
type Kind = keyof typeof KINDS;

export function describeHostileInput(name: string, createLog: () => RecordLog | Promise<RecordLog>): void {
  describe(`${name}: records that must not stop the scorer`, () => {
    let harness: ScorerHarness;
    let scorer: RunningScorer;
    let scored: ScoredTransaction[];
    let letters: DeadLetter[];
    /** Payment records in the log, bad ones included. */
    let payments = 0;
    const partitionOf = createPartitionChooser();
    /** An account of its own per kind, so that nothing a bad record changes reaches another kind. */
    const accountOf = (kind: string) => `acct-${kind.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;

    beforeAll(async () => {
      const log = await createLog();
      harness = await scorerHarness(log, { groupId: 'hostile', namespace: `hostile-${Date.now()}`, partitions: PARTITIONS });
      const { topics, serde } = harness;
      await log.admin.ensureTopics(outputTopicSpecs(topics, PARTITIONS).map((spec) => (spec.topic === topics.scored ? { ...spec, maxMessageBytes: SCORED_MAX_MESSAGE_BYTES } : spec)));
      const encodeAs = async (schema: SchemaName, subjectTopic: string, value: object) => serde.encode(await serde.register(valueSubject(subjectTopic), selfContainedSchema(schema)), value);
      const payment = (account: string, suffix: string, at: number, overrides: Partial<Transaction> = {}) =>
        transaction({ transactionId: `${account}-${suffix}`, accountId: account, cardId: `card-${account}`, eventTime: BASE_TIME + at, ...overrides });
      const transactionBytes = (value: Transaction) => encodeAs('Transaction', topics.transactions, value);
      const accountProfile = (account: string, at: number, overrides: Partial<AccountProfile> = {}) =>
        profile({ accountId: account, updatedAt: BASE_TIME + at, openedAt: BASE_TIME - 400 * 86_400_000, ...overrides });
      const login = (account: string, at: number, overrides: Partial<AuthEvent> = {}) => authEvent({ eventId: `${account}-login-${at}`, accountId: account, eventTime: BASE_TIME + at, ...overrides });
      const withMagicByte = (bytes: Buffer) => Buffer.concat([Buffer.from([1]), bytes.subarray(1)]);
      const halved = (bytes: Buffer) => bytes.subarray(0, 5 + Math.floor((bytes.length - 5) / 2));

      const bad: Record<Kind, (account: string, at: number) => Promise<void>> = {
        'an AuthEvent on payments.transactions': async (account, at) =>
          harness.publishRaw('transactions', account, await encodeAs('AuthEvent', topics.authEvents, authEvent({ accountId: account, eventTime: BASE_TIME + at }))),
        'a Transaction on auth.events': async (account, at) => harness.publishRaw('authEvents', account, await transactionBytes(payment(account, 'foreign', at))),
        'a FraudLabel on payments.transactions': async (account, at) =>
          harness.publishRaw('transactions', account, await encodeAs('FraudLabel', topics.labels, { eventId: 'x', accountId: account, scenario: 's', expectedRuleId: null, fraud: true, eventTime: BASE_TIME + at })),
        'an incompatible version of Transaction under its own subject': async (account, at) => {
          // Registered as another team would, through the REST API with the subject's checks off for the moment.
          const subject = valueSubject(topics.transactions);
          const rest = (path: string, method: string, body: object) =>
            fetch(`${harness.registryUrl}${path}`, { method, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: number }>);
          await rest(`/config/${subject}`, 'PUT', { compatibility: 'NONE' });
          const renamed = JSON.stringify(selfContainedSchema('Transaction')).replace('"transactionId"', '"txnId"');
          const { id } = await rest(`/subjects/${subject}/versions`, 'POST', { schema: renamed });
          await rest(`/config/${subject}`, 'PUT', { compatibility: 'BACKWARD' });
          const { transactionId, ...fields } = payment(account, 'renamed', at);
          await harness.publishRaw('transactions', account, await serde.encode(id, { txnId: transactionId, ...fields }));
        },
        'a value of about a megabyte': async (account, at) =>
          harness.publishRaw('transactions', account, await transactionBytes(payment(account, 'huge', at, { merchantId: 'm'.repeat(1_000_000) }))),
        "a payment whose scored record exceeds its topic's max.message.bytes": async (account, at) =>
          harness.publish('transactions', [payment(account, 'wide', at, { merchantId: 'w'.repeat(20_000) })]),
        'the same payment twice': async (account, at) => {
          const bytes = await transactionBytes(payment(account, 'twice', at));
          await harness.publishRaw('transactions', account, bytes);
          await harness.publishRaw('transactions', account, bytes);
        },
        'a second payment with the same id and another body': async (account, at) => {
          await harness.publish('transactions', [payment(account, 'contested', at, { amountMinor: 1_500 })]);
          await harness.publish('transactions', [payment(account, 'contested', at + 1, { amountMinor: 900_000 })]);
        },
        'a payment on a partition its key does not hash to': async (account, at) => {
          const elsewhere = (partitionOf(topics.transactions, PARTITIONS, Buffer.from(account)) + 1) % PARTITIONS;
          await harness.publishRaw('transactions', account, await transactionBytes(payment(account, 'misrouted', at)), elsewhere);
        },
        'a string that is not UTF-8': async (account, at) => {
          const bytes = await transactionBytes(payment(account, 'latin1', at, { merchantId: 'caf#-12' }));
          bytes[bytes.indexOf('caf#') + 3] = 0xe9; // "café" in Latin-1: in UTF-8, a lead byte without its continuation
          await harness.publishRaw('transactions', account, bytes);
        },
        'a string with a NUL character': async (account, at) => harness.publish('transactions', [payment(account, 'nul', at, { merchantId: 'shop\u0000' })]),
        'a magic byte of 1 on payments.transactions': async (account, at) => harness.publishRaw('transactions', account, withMagicByte(await transactionBytes(payment(account, 'magic', at)))),
        'an empty value on payments.transactions': async (account) => harness.publishRaw('transactions', account, Buffer.alloc(0)),
        'a tombstone on payments.transactions': async (account) => harness.publishRaw('transactions', account, null),
        'a payment cut in half': async (account, at) => harness.publishRaw('transactions', account, halved(await transactionBytes(payment(account, 'halved', at)))),
        'a schema id no registry handed out': async (account, at) => {
          const bytes = await transactionBytes(payment(account, 'unknown-id', at));
          bytes.writeUInt32BE(0x7ffffff0, 1);
          await harness.publishRaw('transactions', account, bytes);
        },
        'bytes after a valid payment': async (account, at) => harness.publishRaw('transactions', account, Buffer.concat([await transactionBytes(payment(account, 'trailing', at)), Buffer.from([1, 2, 3])])),
        'a payment without a key': async (account, at) =>
          harness.publishRaw('transactions', null, await transactionBytes(payment(account, 'keyless', at)), partitionOf(topics.transactions, PARTITIONS, Buffer.from(account))),
        'a payment keyed by another account': async (account, at) => harness.publishRaw('transactions', account, await transactionBytes(payment(`${account}-other`, 'rekeyed', at))),
        'a negative amount': async (account, at) => harness.publish('transactions', [payment(account, 'negative', at, { amountMinor: -500 })]),
        'an amount over 10^12 minor units': async (account, at) => harness.publish('transactions', [payment(account, 'absurd', at, { amountMinor: 10 ** 13 })]),
        'an unknown currency': async (account, at) => harness.publish('transactions', [payment(account, 'xxx', at, { currency: 'XXQ' })]),
        'a latitude that is NaN': async (account, at) => harness.publish('transactions', [payment(account, 'nan', at, { lat: Number.NaN })]),
        'an infinite longitude': async (account, at) => harness.publish('transactions', [payment(account, 'infinite', at, { lon: Number.POSITIVE_INFINITY })]),
        'an event time in 1970': async (account) => harness.publish('transactions', [payment(account, 'epoch', -BASE_TIME + 1_000)]),
        'a negative event time': async (account) => harness.publish('transactions', [payment(account, 'negative-time', -BASE_TIME - 86_400_000)]),
        'an event time in 2200': async (account) => harness.publish('transactions', [payment(account, 'far-future', Date.UTC(2200, 0, 1) - BASE_TIME)]),
        'an empty transaction id': async (account, at) => harness.publish('transactions', [payment(account, 'empty-id', at, { transactionId: '' })]),
        'an MCC that is not four digits': async (account, at) => harness.publish('transactions', [payment(account, 'mcc', at, { mcc: '54x' })]),
        'a zero amount': async (account, at) => harness.publish('transactions', [payment(account, 'odd', at, { amountMinor: 0 })]),
        'a profile cut in half': async (account, at) => harness.publishRaw('profiles', account, halved(await encodeAs('AccountProfile', topics.profiles, accountProfile(account, at)))),
        'a profile keyed by another account': async (account, at) => harness.publishRaw('profiles', account, await encodeAs('AccountProfile', topics.profiles, accountProfile(`${account}-other`, at))),
        'a profile in an unknown currency': async (account, at) => harness.publish('profiles', [accountProfile(account, at, { currency: 'XXQ' })]),
        'a profile with a negative credit limit': async (account, at) => harness.publish('profiles', [accountProfile(account, at, { creditLimitMinor: -1 })]),
        'a profile dated 1970': async (account) => harness.publish('profiles', [accountProfile(account, -BASE_TIME + 1_000)]),
        'a login with a magic byte of 1': async (account, at) => harness.publishRaw('authEvents', account, withMagicByte(await encodeAs('AuthEvent', topics.authEvents, login(account, at)))),
        'a login keyed by another account': async (account, at) => harness.publishRaw('authEvents', account, await encodeAs('AuthEvent', topics.authEvents, login(`${account}-other`, at))),
        'a login with an empty event id': async (account, at) => harness.publish('authEvents', [login(account, at, { eventId: '' })]),
        'a login in 1970': async (account) => harness.publish('authEvents', [login(account, -BASE_TIME + 1_000)]),
      };

      scorer = await harness.start();
      let at = 0;
      for (const [kind, write] of Object.entries(bad) as Array<[Kind, (account: string, at: number) => Promise<void>]>) {
        const account = accountOf(kind);
        await harness.publish('profiles', [profile({ accountId: account, updatedAt: BASE_TIME - 60 * SECOND, openedAt: BASE_TIME - 400 * 86_400_000 })]);
        await harness.publish('transactions', [payment(account, 'before', (at += SECOND))]);
        await write(account, (at += SECOND));
        await harness.publish('transactions', [payment(account, 'after', (at += SECOND))]);
      }
      // A profile dated seven months ahead: held, it must not make the payments after it late.
      const ahead = accountOf('ahead');
      await harness.publish('profiles', [profile({ accountId: ahead, updatedAt: BASE_TIME + SEVEN_MONTHS, openedAt: BASE_TIME - 400 * 86_400_000 })]);
      await harness.publish('transactions', [payment(ahead, 'after', (at += SECOND))]);
      // Payments a minute on, on every partition, so the watermark passes everything before them.
      const tail = Array.from({ length: 8 }, (_, i) => transaction({ transactionId: `tail-${i}`, accountId: `acct-tail-${i}`, cardId: `card-tail-${i}`, eventTime: BASE_TIME + at + 60 * SECOND }));
      await harness.publish('transactions', tail);
      // Then profiles and logins later still: the newest payments are decided too, not left waiting.
      await publishFlushTail(harness, topics, BASE_TIME + at + 120 * SECOND, { payments: false });
      for (let partition = 0; partition < PARTITIONS; partition++) {
        await log.readToEnd({ topic: topics.transactions, partition, offset: '0' }, (records) => void (payments += records.length));
      }

      const deadLettered = Object.values(KINDS).filter((reason) => reason !== 'SCORED').length;
      letters = await eventually(() => harness.read<DeadLetter>('deadLetters'), (d) => d.length >= deadLettered, 'a dead letter per kind', 60_000);
      const paymentLetters = letters.filter((l) => l.sourceTopic === topics.transactions).length;
      scored = await eventually(() => harness.read<ScoredTransaction>('scored'), (s) => s.length + paymentLetters >= payments, 'an output for every payment', 60_000);
    }, 120_000);
    afterAll(async () => harness?.close());

    it.each(Object.entries(KINDS))('%s: ends as %s, the payments around it scored on time', (kind, reason) => {
      const account = accountOf(kind);
      // A dead letter keeps the record's key; the keyless one is the only letter without.
      const mine = letters.filter((l) => (l.key?.toString() ?? accountOf('a payment without a key')) === account);
      if (reason === 'SCORED') {
        expect(mine).toEqual([]);
        expect(scored.filter((r) => r.transaction.transactionId === `${account}-odd`).map((r) => r.late)).toEqual([false]);
      } else {
        expect(mine.map((l) => l.reason)).toEqual([reason]);
      }
      const around = scored.filter((r) => r.transaction.accountId === account && /-(before|after)$/.test(r.transaction.transactionId));
      expect(around.map((r) => [r.transaction.transactionId.replace(`${account}-`, ''), r.late])).toEqual([
        ['before', false],
        ['after', false],
      ]);
    });

    it('keeps the first of two payments with one id, and the value of a megabyte record only in part', () => {
      const contested = scored.filter((r) => r.transaction.transactionId.endsWith('-contested'));
      expect(contested.map((r) => r.transaction.amountMinor)).toEqual([1_500]);
      const huge = letters.find((l) => l.reason === 'RECORD_TOO_LARGE')!;
      expect(huge.value?.length).toBe(64 * 1024);
      expect(huge.detail).toMatch(/value of 1000\d\d\d bytes exceeds the 65536 the scorer accepts/);
    });

    it('holds a profile seven months ahead of its partition: nothing after it is late, and it is no dead letter', async () => {
      const ahead = accountOf('ahead');
      expect(scored.find((r) => r.transaction.accountId === ahead)?.late).toBe(false);
      expect(letters.filter((l) => l.key?.toString() === ahead)).toEqual([]);
      expect(scored.every((r) => !r.late)).toBe(true);
      expect(await counter(harness, 'peregrine_scorer_held_ahead_records_total')).toBe(1);
    });

    it('ends every payment record as one scored record or one dead letter', () => {
      const ids = scored.map((r) => r.transaction.transactionId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(scored.length + letters.filter((l) => l.sourceTopic === harness.topics.transactions).length).toBe(payments);
    });

    it('never restarted its consumer, and stays healthy', async () => {
      expect(await counter(harness, 'peregrine_scorer_consumer_restarts_total')).toBe(0);
      expect([scorer.healthy, scorer.problems()]).toEqual([true, []]);
    });
  });
}

async function counter(harness: ScorerHarness, name: string): Promise<number> {
  const metric = await harness.metricsRegistry.getSingleMetric(name)!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
