// Records that once stopped the scorer or slipped through it, written by a producer that is not the
// simulator, each between two ordinary payments of its own account. One scorer run takes them all;
// then, per kind: the bad record ends as a dead letter with its reason (or, ahead of its partition,
// is held without moving the watermark), the payments around it are scored and on time, and the
// consumer never restarted. Run on the in-memory log (unit) and on the real broker (integration).
import { authEvent, profile, transaction } from '../../cep';
import { type SchemaName, selfContainedSchema } from '../../schemas';
import type { DeadLetter, ScoredTransaction, Transaction } from '../../schemas';
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

/** Each kind: how its bad record is written, and how it must end. */
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
} as const;
type Kind = keyof typeof KINDS;

export function describeHostileInput(name: string, createLog: () => RecordLog | Promise<RecordLog>): void {
  describe(`${name}: records that must not stop the scorer`, () => {
    let harness: ScorerHarness;
    let scorer: RunningScorer;
    let scored: ScoredTransaction[];
    let letters: DeadLetter[];
    const partitionOf = createPartitionChooser();
    /** An account of its own per kind, so that nothing a bad record changes reaches another kind. */
    const accountOf = (kind: string) => `acct-${kind.replace(/[^a-z]+/gi, '-').toLowerCase()}`;

    beforeAll(async () => {
      const log = await createLog();
      harness = await scorerHarness(log, { groupId: 'hostile', namespace: `hostile-${Date.now()}`, partitions: PARTITIONS });
      const { topics, serde } = harness;
      await log.admin.ensureTopics(outputTopicSpecs(topics, PARTITIONS).map((spec) => (spec.topic === topics.scored ? { ...spec, maxMessageBytes: SCORED_MAX_MESSAGE_BYTES } : spec)));
      const encodeAs = async (schema: SchemaName, subjectTopic: string, value: object) => serde.encode(await serde.register(valueSubject(subjectTopic), selfContainedSchema(schema)), value);
      const payment = (account: string, suffix: string, at: number, overrides: Partial<Transaction> = {}) =>
        transaction({ transactionId: `${account}-${suffix}`, accountId: account, cardId: `card-${account}`, eventTime: BASE_TIME + at, ...overrides });
      const transactionBytes = (value: Transaction) => encodeAs('Transaction', topics.transactions, value);

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

      const expected = Object.keys(KINDS).length * 2 + 1;
      scored = await eventually(() => harness.read<ScoredTransaction>('scored'), (s) => s.filter((r) => r.transaction.transactionId.endsWith('-after')).length === Object.keys(KINDS).length + 1 && s.length >= expected, 'the payments around every bad record', 60_000);
      letters = await eventually(() => harness.read<DeadLetter>('deadLetters'), (d) => d.length >= Object.keys(KINDS).length, 'a dead letter per kind', 60_000);
    }, 120_000);
    afterAll(async () => harness?.close());

    it.each(Object.entries(KINDS))('%s: dead-lettered as %s, the payments around it scored on time', (kind, reason) => {
      const account = accountOf(kind);
      const mine = letters.filter((l) => l.key?.toString() === account);
      expect(mine.map((l) => l.reason)).toEqual([reason]);
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
