// What a backtest measures, from the decisions of one variant and the recording's labels. Pure: fed
// decisions one by one, it keeps the fraud instances in full and the legitimate payments as scores and
// counters, so that ten million payments fit in memory; the report is computed at the end.
import type { RecordedLabel } from '../shared/recording';
import { euroCents } from './money';

/** A decided payment, as the scored record says. */
export interface Decided {
  readonly transactionId: string;
  readonly eventTime: number;
  readonly amountMinor: number;
  readonly currency: string;
  readonly score: number;
  readonly decision: 'APPROVE' | 'REVIEW' | 'DECLINE';
  readonly ruleIds: readonly string[];
}

/** A fraud label, as the recording holds it. */
export type Label = RecordedLabel;

/** An alert of an account as a whole (a pattern completed by a login or a timer), with no payment decided. */
export interface AccountAlert {
  readonly accountId: string;
  readonly eventTime: number;
  readonly score: number;
}

/**
 * An account-level alert this long before an instance's first labelled event still catches it: an
 * instance's labels are its payments, and the logins or profile changes before them are not labelled.
 */
export const ACCOUNT_ALERT_LOOKBACK_MS = 3_600_000;

export interface Thresholds {
  readonly review: number;
  readonly decline: number;
}

export interface RuleFigures {
  readonly ruleId: string;
  readonly hits: number;
  readonly fraudHits: number;
  /** fraudHits / hits; null without hits. */
  readonly precision: number | null;
  /** Instances of each behaviour with a payment the rule hit, over that behaviour's instances. */
  readonly recallByBehaviour: Readonly<Record<string, number>>;
  readonly hitsPerThousandPayments: number;
}

export interface CurvePoint {
  /** A payment is flagged when its score is at least this. */
  readonly threshold: number;
  readonly instanceRecall: number;
  readonly paymentRecall: number;
  /** Fraud payments among the flagged; null when none is flagged. */
  readonly precision: number | null;
  readonly falseAlertRate: number;
  readonly alertsPerThousandPayments: number;
  readonly amountRecall: number | null;
}

export interface AtThresholds {
  readonly thresholds: Thresholds;
  readonly instanceRecall: number;
  readonly recallByBehaviour: Readonly<Record<string, number>>;
  /** Fraud amount of payments decided REVIEW or DECLINE, over all fraud amount, in euros at fixed rates (see money.ts). */
  readonly amountRecall: number | null;
  /** Legitimate payments decided REVIEW or DECLINE, over legitimate payments. */
  readonly falseAlertRate: number;
  readonly falseDeclines: number;
  readonly falseDeclineEuroCents: number;
  readonly alertsPerThousandPayments: number;
}

export interface BacktestFigures {
  readonly payments: number;
  /** Alerts of an account as a whole, and those on an account during one of its fraud instances. */
  readonly accountAlerts: number;
  readonly accountAlertsOnFraud: number;
  readonly fraudPayments: number;
  readonly legitimatePayments: number;
  readonly instances: number;
  readonly instancesByBehaviour: Readonly<Record<string, number>>;
  readonly fraudEuroCents: number;
  /** Fraud and declined legitimate amounts per currency, in minor units. */
  readonly byCurrency: Readonly<Record<string, { readonly fraudMinor: number; readonly caughtFraudMinor: number; readonly falseDeclineMinor: number }>>;
  readonly atThresholds: AtThresholds;
  readonly rules: readonly RuleFigures[];
  readonly curve: readonly CurvePoint[];
  /** Payments per score bin of width 1/HISTOGRAM_BINS, for each label. */
  readonly histogram: { readonly fraud: readonly number[]; readonly legitimate: readonly number[] };
  /** Transaction ids decided REVIEW or DECLINE. */
  readonly alerted: ReadonlySet<string>;
}

export const HISTOGRAM_BINS = 20;
/** The sweep: every hundredth, and each distinct score a payment got (a rule pack's scores are few). */
const SWEEP_STEPS = 100;
/**
 * A model's scores are as many as the payments: the sweep also takes, per false-alert rate on a log
 * scale from 1 down to 10^-FALSE_ALERT_DECADES, the lowest threshold that flags no more legitimate
 * payments, so that the curve resolves the low rates a team runs at.
 */
const FALSE_ALERT_STEPS_PER_DECADE = 20;
const FALSE_ALERT_DECADES = 6;
/** Scores are multiples of this (the scorer rounds them): the next score above a legitimate one. */
const SCORE_STEP = 1e-6;

interface Instance {
  readonly behaviour: string;
  readonly accountId: string;
  firstTime: number;
  lastTime: number;
  maxScore: number;
  caught: boolean;
  readonly rules: Set<string>;
}

interface FraudPayment {
  readonly score: number;
  readonly euroCents: number;
}

/** Scores of legitimate payments in a growable typed array: ten million cost 80 MB, not an object each. */
class Scores {
  #values = new Float64Array(1_024);
  #length = 0;

  push(score: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = score;
  }

  sorted(): Float64Array {
    return this.#values.slice(0, this.#length).sort();
  }
}

/** Elements of ascending `sorted` at least `threshold`. */
function atLeast(sorted: ArrayLike<number>, threshold: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < threshold) low = mid + 1;
    else high = mid;
  }
  return sorted.length - low;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export class BacktestMetrics {
  readonly #labels: ReadonlyMap<string, Label>;
  readonly #thresholds: Thresholds;
  readonly #from: number;
  readonly #to: number;
  readonly #instances = new Map<string, Instance>();
  readonly #fraudPayments: FraudPayment[] = [];
  readonly #legitimate = new Scores();
  readonly #rules = new Map<string, { hits: number; fraudHits: number }>();
  readonly #histogram = { fraud: new Array<number>(HISTOGRAM_BINS).fill(0), legitimate: new Array<number>(HISTOGRAM_BINS).fill(0) };
  readonly #byCurrency = new Map<string, { fraudMinor: number; caughtFraudMinor: number; falseDeclineMinor: number }>();
  readonly #alerted = new Set<string>();
  /** Account-level alerts, kept until the end: an instance's window is known only once all its labels are. */
  readonly #accountAlerts: AccountAlert[] = [];
  #legitimateAlerts = 0;
  #falseDeclines = 0;
  #falseDeclineEuroCents = 0;
  #caughtEuroCents = 0;

  /**
   * `labels`: fraud labels by event id (the labelled transaction's id); a payment without one, or
   * with a label whose `fraud` is false (a near-miss), is legitimate. Only payments with event time
   * in [from, to) are measured: the rest warmed the state up.
   */
  constructor(labels: ReadonlyMap<string, Label>, thresholds: Thresholds, range: { from?: number | null; to?: number | null } = {}) {
    this.#labels = labels;
    this.#thresholds = thresholds;
    this.#from = range.from ?? -Infinity;
    this.#to = range.to ?? Infinity;
    // An instance counts from its labels, so one whose payments were all dead-lettered counts as missed.
    for (const label of labels.values()) {
      if (label.fraud && label.eventTime >= this.#from && label.eventTime < this.#to) this.#instanceOf(label);
    }
  }

  add(payment: Decided): void {
    if (payment.eventTime < this.#from || payment.eventTime >= this.#to) return;
    const label = this.#labels.get(payment.transactionId);
    const fraud = label?.fraud === true;
    const alerted = payment.decision !== 'APPROVE';
    if (alerted) this.#alerted.add(payment.transactionId);
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(payment.score * HISTOGRAM_BINS)));
    const currency = this.#currency(payment.currency);
    const cents = euroCents(payment.amountMinor, payment.currency) ?? 0;
    for (const ruleId of payment.ruleIds) {
      const rule = this.#rules.get(ruleId) ?? { hits: 0, fraudHits: 0 };
      rule.hits++;
      if (fraud) rule.fraudHits++;
      this.#rules.set(ruleId, rule);
    }
    if (fraud) {
      const instance = this.#instanceOf(label!);
      instance.maxScore = Math.max(instance.maxScore, payment.score);
      instance.caught ||= alerted;
      for (const ruleId of payment.ruleIds) instance.rules.add(ruleId);
      this.#fraudPayments.push({ score: payment.score, euroCents: cents });
      this.#histogram.fraud[bin]!++;
      currency.fraudMinor += payment.amountMinor;
      if (alerted) {
        currency.caughtFraudMinor += payment.amountMinor;
        this.#caughtEuroCents += cents;
      }
      return;
    }
    this.#legitimate.push(payment.score);
    this.#histogram.legitimate[bin]!++;
    if (alerted) this.#legitimateAlerts++;
    if (payment.decision === 'DECLINE') {
      this.#falseDeclines++;
      this.#falseDeclineEuroCents += cents;
      currency.falseDeclineMinor += payment.amountMinor;
    }
  }

  /** An alert with no payment decided (a pattern completed by a login, a profile change or a timer). */
  addAccountAlert(alert: AccountAlert): void {
    if (alert.eventTime < this.#from - ACCOUNT_ALERT_LOOKBACK_MS || alert.eventTime >= this.#to) return;
    this.#accountAlerts.push(alert);
  }

  figures(): BacktestFigures {
    const byAccount = new Map<string, Instance[]>();
    for (const instance of this.#instances.values()) byAccount.set(instance.accountId, [...(byAccount.get(instance.accountId) ?? []), instance]);
    let accountAlertsOnFraud = 0;
    for (const alert of this.#accountAlerts) {
      const caught = (byAccount.get(alert.accountId) ?? []).filter((i) => alert.eventTime >= i.firstTime - ACCOUNT_ALERT_LOOKBACK_MS && alert.eventTime <= i.lastTime);
      if (caught.length > 0) accountAlertsOnFraud++;
      for (const instance of caught) {
        instance.maxScore = Math.max(instance.maxScore, alert.score);
        instance.caught ||= alert.score >= this.#thresholds.review;
      }
    }
    const legitimate = this.#legitimate.sorted();
    const fraud = [...this.#fraudPayments].sort((a, b) => a.score - b.score);
    const fraudScores = Float64Array.from(fraud, (p) => p.score);
    /** Euro cents of the fraud payments from index i on: those scoring at least fraudScores[i]. */
    const centsFrom = new Float64Array(fraud.length + 1);
    for (let i = fraud.length - 1; i >= 0; i--) centsFrom[i] = centsFrom[i + 1]! + fraud[i]!.euroCents;
    const instances = [...this.#instances.values()];
    const instanceMax = Float64Array.from(instances, (i) => i.maxScore).sort();
    const payments = legitimate.length + fraudScores.length;
    const fraudEuroCents = centsFrom[0]!;
    const byBehaviour = new Map<string, Instance[]>();
    for (const instance of instances) byBehaviour.set(instance.behaviour, [...(byBehaviour.get(instance.behaviour) ?? []), instance]);
    const behaviours = [...byBehaviour.keys()].sort();
    const recallByBehaviour = (caught: (i: Instance) => boolean) => Object.fromEntries(behaviours.map((b) => [b, ratio(byBehaviour.get(b)!.filter(caught).length, byBehaviour.get(b)!.length)]));

    const point = (threshold: number): CurvePoint => {
      const fraudFlagged = atLeast(fraudScores, threshold);
      const legitFlagged = atLeast(legitimate, threshold);
      const flaggedEuroCents = centsFrom[fraud.length - fraudFlagged]!;
      return {
        threshold,
        instanceRecall: ratio(atLeast(instanceMax, threshold), instances.length),
        paymentRecall: ratio(fraudFlagged, fraudScores.length),
        precision: fraudFlagged + legitFlagged === 0 ? null : fraudFlagged / (fraudFlagged + legitFlagged),
        falseAlertRate: ratio(legitFlagged, legitimate.length),
        alertsPerThousandPayments: ratio(fraudFlagged + legitFlagged, payments) * 1_000,
        amountRecall: fraudEuroCents === 0 ? null : flaggedEuroCents / fraudEuroCents,
      };
    };
    const distinct = new Set<number>([...Array.from({ length: SWEEP_STEPS + 1 }, (_, i) => i / SWEEP_STEPS), ...fraudScores, this.#thresholds.review]);
    for (const score of legitimate) if (distinct.size < 10_000) distinct.add(score);
    for (let i = 0; i <= FALSE_ALERT_STEPS_PER_DECADE * FALSE_ALERT_DECADES && legitimate.length > 0; i++) {
      const allowed = Math.floor(legitimate.length * 10 ** (-i / FALSE_ALERT_STEPS_PER_DECADE));
      if (allowed < legitimate.length) distinct.add(Math.round((legitimate[legitimate.length - allowed - 1]! + SCORE_STEP) / SCORE_STEP) * SCORE_STEP);
    }
    const curve = [...distinct].filter((t) => t >= 0 && t <= 1).sort((a, b) => a - b).map(point);

    return {
      payments,
      accountAlerts: this.#accountAlerts.length,
      accountAlertsOnFraud,
      fraudPayments: fraudScores.length,
      legitimatePayments: legitimate.length,
      instances: instances.length,
      instancesByBehaviour: Object.fromEntries(behaviours.map((b) => [b, byBehaviour.get(b)!.length])),
      fraudEuroCents,
      byCurrency: Object.fromEntries([...this.#byCurrency].sort(([a], [b]) => a.localeCompare(b))),
      atThresholds: {
        thresholds: this.#thresholds,
        instanceRecall: ratio(instances.filter((i) => i.caught).length, instances.length),
        recallByBehaviour: recallByBehaviour((i) => i.caught),
        amountRecall: fraudEuroCents === 0 ? null : this.#caughtEuroCents / fraudEuroCents,
        falseAlertRate: ratio(this.#legitimateAlerts, legitimate.length),
        falseDeclines: this.#falseDeclines,
        falseDeclineEuroCents: this.#falseDeclineEuroCents,
        alertsPerThousandPayments: ratio(this.#alerted.size, payments) * 1_000,
      },
      rules: [...this.#rules]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([ruleId, { hits, fraudHits }]) => ({
          ruleId,
          hits,
          fraudHits,
          precision: hits === 0 ? null : fraudHits / hits,
          recallByBehaviour: recallByBehaviour((i) => i.rules.has(ruleId)),
          hitsPerThousandPayments: ratio(hits, payments) * 1_000,
        })),
      curve,
      histogram: this.#histogram,
      alerted: this.#alerted,
    };
  }

  #instanceOf(label: Label): Instance {
    const id = label.instanceId ?? `${label.scenario}:${label.eventId}`;
    let instance = this.#instances.get(id);
    if (instance === undefined) {
      instance = { behaviour: label.scenario, accountId: label.accountId, firstTime: label.eventTime, lastTime: label.eventTime, maxScore: -Infinity, caught: false, rules: new Set() };
      this.#instances.set(id, instance);
    }
    instance.firstTime = Math.min(instance.firstTime, label.eventTime);
    instance.lastTime = Math.max(instance.lastTime, label.eventTime);
    return instance;
  }

  #currency(code: string) {
    let figures = this.#byCurrency.get(code);
    if (figures === undefined) this.#byCurrency.set(code, (figures = { fraudMinor: 0, caughtFraudMinor: 0, falseDeclineMinor: 0 }));
    return figures;
  }
}

/** What a threshold is chosen for: at most this share of legitimate payments flagged, or of all payments. */
export type ThresholdTarget = { readonly falseAlertRate: number } | { readonly alertRate: number };

/**
 * The lowest score threshold of the sweep at which the flagged share stays within the target (so the
 * most fraud is caught for it), or null when even the highest flags more.
 */
export function chooseThreshold(curve: readonly CurvePoint[], target: ThresholdTarget): CurvePoint | null {
  const within = (point: CurvePoint) => ('falseAlertRate' in target ? point.falseAlertRate <= target.falseAlertRate : point.alertsPerThousandPayments / 1_000 <= target.alertRate);
  return curve.find((point) => point.threshold > 0 && within(point)) ?? null;
}
