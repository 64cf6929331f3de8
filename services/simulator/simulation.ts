// The whole generated run as a pure function of its configuration: a history to publish first, then
// the stream in publish order. Nothing here knows about Kafka, Avro or wall-clock time.
import { Baseline, type Absence } from './baseline';
import { LOOK_ALIKES_PER_10K, instancesFor, planBehaviours, type PlannedInstance } from './behaviours/plan';
import { BehaviouralTraffic } from './behaviours/traffic';
import { Disorder } from './disorder';
import { MalformedRecords } from './malformed';
import type { SimulationConfig } from './options';
import { Ids, Merchants, createAccount, type Account } from './population';
import { Random } from './random';
import { profileRecord, type SimRecord } from './records';
import { planScenarios } from './scenarios/plan';
import type { WrittenScenario } from './scenarios/script';
import { TimeQueue } from './time-queue';

export class Simulation {
  /** Published before the stream, in event-time order: every account's first profile, dormant history. */
  readonly history: readonly SimRecord[];
  readonly baselineAccounts: readonly Account[];
  readonly scenarios: readonly WrittenScenario[];
  /** The behavioural generator's fraud and look-alike instances, on baseline accounts. */
  readonly behaviours: readonly PlannedInstance[];
  readonly #config: SimulationConfig;
  readonly #baseline: Baseline;
  readonly #behavioural: BehaviouralTraffic;
  readonly #malformed: MalformedRecords;
  readonly #malformedPerSlot: ReadonlyMap<number, number>;
  readonly #later = new TimeQueue<SimRecord>();
  readonly #disorder: Disorder;
  #stopped = false;

  constructor(config: SimulationConfig) {
    this.#config = config;
    const root = new Random(config.seed);
    const random = root.fork('population');
    const ids = new Ids(config.seed);
    const merchants = new Merchants(random, ids);
    this.baselineAccounts = Array.from({ length: config.accounts }, () => createAccount(random, ids, config.start));
    const malformedAccount = createAccount(random, ids, config.start);
    const end = this.#slotTime(config.count);
    this.scenarios =
      config.mix === 'behavioural'
        ? []
        : planScenarios({
            random: root.fork('scenarios'),
            ids,
            merchants,
            start: config.start,
            runSpanMs: end - config.start,
            perKind: config.scenarios,
            order: config.scenarioOrder,
          });
    this.behaviours =
      config.mix === 'rules'
        ? []
        : planBehaviours({
            random: root.fork('behaviours'),
            ids,
            merchants,
            accounts: this.baselineAccounts,
            start: config.start,
            end,
            fraudInstances: instancesFor(config.fraudRate, config.count),
            lookAlikes: instancesFor(LOOK_ALIKES_PER_10K, config.count),
          });
    this.history = [
      ...this.baselineAccounts.map((a) => profileRecord(a.profile, 'baseline')),
      profileRecord(malformedAccount.profile, 'malformed'),
      ...this.scenarios.flatMap((s) => s.history),
    ].sort((a, b) => a.timestamp - b.timestamp);
    for (const scenario of this.scenarios) for (const record of scenario.events) this.#later.push(record.timestamp, record);
    const absences = new Map<Account, Absence[]>();
    for (const { account, absences: own } of this.behaviours) if (own.length > 0) absences.set(account, [...(absences.get(account) ?? []), ...own]);
    this.#baseline = new Baseline(root.fork('baseline'), ids, this.baselineAccounts, merchants, this.#later, absences);
    this.#behavioural = new BehaviouralTraffic(this.behaviours, ids);
    this.#malformed = new MalformedRecords(root.fork('malformed'), ids, malformedAccount, merchants);
    this.#malformedPerSlot = spread(config.malformed, config.count);
    this.#disorder = new Disorder({ random: root.fork('disorder'), ...config });
  }

  /** Payments of the full run: every baseline slot, scenario and behavioural payment, and malformed record. */
  get expectedTransactions(): number {
    const scenarioPayments = this.scenarios.reduce(
      (sum, s) => sum + [...s.history, ...s.events].filter((r) => r.kind === 'transaction').length,
      0,
    );
    const behaviouralPayments = this.behaviours.reduce((sum, b) => sum + b.steps.filter((step) => step.kind === 'payment').length, 0);
    return this.#config.count + scenarioPayments + behaviouralPayments + this.#config.malformed;
  }

  /** The stream after the history, in publish order. After `stop()` it ends with what it holds. */
  *records(): Generator<SimRecord> {
    for (const record of this.#timeline()) yield* this.#disorder.push(record);
    yield* this.#disorder.flush();
  }

  /** Ends the stream early: no new slot starts, and records already generated are still yielded. */
  stop(): void {
    this.#stopped = true;
  }

  /** Every record in event-time order (ties in the order they were generated). */
  *#timeline(): Generator<SimRecord> {
    for (let slot = 0; slot < this.#config.count && !this.#stopped; slot++) {
      const at = this.#slotTime(slot);
      this.#behavioural.advance(at, this.#later);
      yield* this.#later.popUntil(at);
      yield* this.#baseline.slot(at);
      for (let i = this.#malformedPerSlot.get(slot) ?? 0; i > 0; i--) yield this.#malformed.next(at);
    }
    if (this.#stopped) return;
    this.#behavioural.advance(Infinity, this.#later);
    yield* this.#later.drain();
  }

  #slotTime(slot: number): number {
    return this.#config.start + Math.floor((slot * 1_000) / this.#config.eventRate);
  }
}

/** How many of `items` go to each of `slots` slots, evenly spread. */
function spread(items: number, slots: number): Map<number, number> {
  const perSlot = new Map<number, number>();
  if (slots === 0) return perSlot;
  for (let i = 0; i < items; i++) {
    const slot = Math.floor(((i + 0.5) * slots) / items);
    perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
  }
  return perSlot;
}
