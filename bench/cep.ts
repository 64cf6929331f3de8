// CEP engine benchmark: one task on one core, 1,000,000 transactions over 100,000 accounts (one
// card each) plus profile versions, with the profile join and all velocity and session features.
// Prints a table, or with --json one line for CI. Input is generated from a seeded PRNG before
// any timing. Heap per card is measured in a child process started with --expose-gc, streaming
// the same input so that only what the engine retains is counted.
import { spawnSync } from 'node:child_process';
import type { AccountProfile, Transaction } from '../schemas/types';
import { type SourceRecord, defineJob } from '../cep';

const ACCOUNTS = 100_000;
const TRANSACTIONS = 1_000_000;
const PROFILE_UPDATES = 20_000;
const SPAN_MS = 600_000;
const BOUND_MS = 2_000;
const BATCH = 1_000;
const T0 = 1_700_000_000_000;
const INPUTS = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'payments.transactions', kind: 'transaction' },
] as const;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES'];

function profileOf(account: number, updatedAt: number, version: number): AccountProfile {
  return {
    accountId: `acct-${account}`,
    updatedAt,
    homeCountry: COUNTRIES[account % COUNTRIES.length]!,
    homeLat: 50 + (account % 10),
    homeLon: 8 + (account % 7),
    riskTier: 'LOW',
    creditLimitMinor: 500_000,
    currency: 'EUR',
    emailFingerprint: `e${account.toString(16)}v${version}`,
    phoneFingerprint: `p${account.toString(16)}`,
    openedAt: T0 - 86_400_000,
  };
}

/** The input in arrival order, as batches: every record arrives up to BOUND_MS / 2 after its event time. */
function batches(): SourceRecord[][] {
  const random = mulberry32(42);
  const events: { arrival: number; record: SourceRecord }[] = [];
  const offsets = [0, 0];
  const add = (input: 0 | 1, key: string, eventTime: number, value: AccountProfile | Transaction): void => {
    events.push({ arrival: eventTime + Math.floor(random() * (BOUND_MS / 2)), record: { topic: INPUTS[input].topic, partition: 0, offset: '', key, eventTime, value } });
  };
  for (let account = 0; account < ACCOUNTS; account++) add(0, `acct-${account}`, T0 - ACCOUNTS + account, profileOf(account, T0 - ACCOUNTS + account, 0));
  for (let i = 0; i < PROFILE_UPDATES; i++) {
    const account = Math.floor(random() * ACCOUNTS);
    const at = T0 + Math.floor((i / PROFILE_UPDATES) * SPAN_MS);
    add(0, `acct-${account}`, at, profileOf(account, at, i + 1));
  }
  for (let i = 0; i < TRANSACTIONS; i++) {
    const account = Math.floor(random() * ACCOUNTS);
    const eventTime = T0 + Math.floor((i / TRANSACTIONS) * SPAN_MS);
    add(1, `acct-${account}`, eventTime, {
      transactionId: `tx-${i}`,
      accountId: `acct-${account}`,
      cardId: `card-${account}`,
      merchantId: `m-${Math.floor(random() * 5_000)}`,
      mcc: '5411',
      amountMinor: Math.floor(random() * 20_000),
      currency: 'EUR',
      country: COUNTRIES[Math.floor(random() * random() * COUNTRIES.length)]!,
      lat: 50,
      lon: 8,
      channel: 'POS',
      deviceId: random() < 0.5 ? null : `dev-${account}-${Math.floor(random() * 2)}`,
      ip: null,
      authStatus: random() < 0.03 ? 'DECLINED' : 'APPROVED',
      eventTime,
    });
  }
  events.sort((a, b) => a.arrival - b.arrival);
  const result: SourceRecord[][] = [];
  for (let at = 0; at < events.length; at += BATCH) {
    result.push(
      events.slice(at, at + BATCH).map(({ record }) => ({ ...record, offset: String(offsets[record.topic === INPUTS[0].topic ? 0 : 1]!++) })),
    );
  }
  return result;
}

/** Processing time of a batch: real-time replay, so idleness behaves as in production. */
const processingTimeOf = (batch: readonly SourceRecord[]): number => (batch[batch.length - 1]!.eventTime as number) - T0;

function job() {
  return defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 10_000 });
}

function runEngine(input: readonly SourceRecord[][]): { events: number; scored: number; seconds: number } {
  const task = job().createTask(0);
  let events = 0;
  let scored = 0;
  const started = process.hrtime.bigint();
  for (const batch of input) {
    events += batch.length;
    scored += task.process(batch, processingTimeOf(batch)).records.length;
  }
  scored += task.endOfInput().records.length;
  return { events, scored, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The floor: read each record's key and time and bump a per-key counter, nothing else. */
function runFloor(input: readonly SourceRecord[][]): number {
  const counts = new Map<string, number>();
  let events = 0;
  let latest = 0;
  const started = process.hrtime.bigint();
  for (const batch of input) {
    for (const record of batch) {
      counts.set(record.key!, (counts.get(record.key!) ?? 0) + 1);
      if ((record.eventTime as number) > latest) latest = record.eventTime as number;
      events++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (counts.size === 0 || latest === 0) throw new Error('empty input');
  return events / seconds;
}

/**
 * Child mode: heap retained by the task after the whole stream. Each batch is fed as a deep copy,
 * so what the state keeps of a record (a profile version, ids) is counted as retained while the
 * generated input itself, alive throughout, is not.
 */
function measureHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const input = batches();
  gc();
  const before = process.memoryUsage().heapUsed;
  const task = job().createTask(0);
  for (const batch of input) task.process(structuredClone(batch), processingTimeOf(batch));
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const { keys } = task.metrics(0);
  process.stdout.write(JSON.stringify({ retained, keys, cards: ACCOUNTS, inputBatches: input.length }));
}

function heapInChild(): { retained: number; keys: number; cards: number } {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, '--heap'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`heap measurement failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { retained: number; keys: number; cards: number };
}

function main(): void {
  if (process.argv.includes('--heap')) return measureHeap();
  const json = process.argv.includes('--json');
  const input = batches();
  runEngine(input.slice(0, 100)); // warm-up on a prefix, separate task
  const engine = runEngine(input);
  const floor = runFloor(input);
  const heap = heapInChild();
  const eventsPerSec = Math.round(engine.events / engine.seconds);
  const bytesPerActiveCard = Math.round(heap.retained / heap.cards);
  if (json) {
    process.stdout.write(`${JSON.stringify({ bench: 'cep', eventsPerSec, floorEventsPerSec: Math.round(floor), bytesPerActiveCard })}\n`);
    return;
  }
  console.table({
    engine: { 'events/s': eventsPerSec, events: engine.events, scored: engine.scored, seconds: +engine.seconds.toFixed(3) },
    'decode-free floor': { 'events/s': Math.round(floor), events: engine.events },
  });
  console.table({
    heap: { retainedBytes: heap.retained, keys: heap.keys, activeCards: heap.cards, bytesPerActiveCard, bytesPerKey: Math.round(heap.retained / heap.keys) },
  });
  console.log(`engine / floor = ${(eventsPerSec / floor).toFixed(3)}; targets: >= 1,000,000 events/s, <= 1024 bytes per active card`);
}

main();
