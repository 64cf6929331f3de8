// The dashboard's view model: what the page shows, folded from scored transactions and alerts as
// they arrive. Pure (wall-clock time is passed in), so it is tested without sockets or timers.
// Counts run from the moment the server started: the dashboard follows the live end of the topics.
import { describeFeature } from '../../cep/features';
import { transactionAlertId } from '../../cep/rules';
import type { Alert, Decision, ModelScore, ScoredTransaction } from '../../schemas';
import type { AlertRow, DashboardFrame, DashboardStats, ModelView, ThroughputView, TransactionRow } from './protocol';
import { RateCounter } from './rate';

export interface LiveViewOptions {
  /** Newest transactions kept for the live table. */
  readonly recentTransactions: number;
  /** Newest alerts kept, each with its explanation and evidence. */
  readonly recentAlerts: number;
  readonly throughputWindowSeconds: number;
  /** Seconds of per-second throughput the page draws. */
  readonly historySeconds: number;
  /** Bins of the score histogram over [0, 1]; 10 puts the decision thresholds 0.5 and 0.8 on bin edges. */
  readonly scoreBins: number;
}

const DEFAULT_VIEW_OPTIONS: LiveViewOptions = {
  recentTransactions: 50,
  recentAlerts: 20,
  throughputWindowSeconds: 10,
  historySeconds: 60,
  scoreBins: 10,
};

/** Where a record sits in the log: its produce timestamp is passed through to the page. */
export interface RecordMeta {
  readonly timestamp: number;
}

export class LiveView {
  readonly #options: LiveViewOptions;
  readonly #transactions: TransactionRow[] = [];
  readonly #alerts: AlertRow[] = [];
  readonly #scoredRate: RateCounter;
  readonly #alertRate: RateCounter;
  readonly #decisions: Record<Decision, number> = { APPROVE: 0, REVIEW: 0, DECLINE: 0 };
  readonly #histogram: number[];
  readonly #ruleHits = new Map<string, number>();
  #transactionSeq = 0;
  #alertSeq = 0;
  #scored = 0;
  #alertCount = 0;
  #late = 0;
  #rejected = 0;
  #watermark: number | null = null;
  /** Rows up to these numbers went out in an earlier update. */
  #sentTransactionSeq = 0;
  #sentAlertSeq = 0;
  #changed = false;
  #sentThroughput: ThroughputView;

  constructor(options: Partial<LiveViewOptions> = {}) {
    this.#options = { ...DEFAULT_VIEW_OPTIONS, ...options };
    const rate = { windowSeconds: this.#options.throughputWindowSeconds, historySeconds: this.#options.historySeconds };
    this.#scoredRate = new RateCounter(rate);
    this.#alertRate = new RateCounter(rate);
    this.#histogram = new Array<number>(this.#options.scoreBins).fill(0);
    // Rates are zero at any time before the first record: an empty view has nothing to send.
    this.#sentThroughput = this.#throughput(0);
  }

  addScored(scored: ScoredTransaction, meta: RecordMeta, now: number): void {
    const tx = scored.transaction;
    pushBounded(this.#transactions, this.#options.recentTransactions, {
      seq: ++this.#transactionSeq,
      transactionId: tx.transactionId,
      accountId: tx.accountId,
      amountMinor: tx.amountMinor,
      currency: tx.currency,
      merchantId: tx.merchantId,
      country: tx.country,
      channel: tx.channel,
      score: scored.score,
      decision: scored.decision,
      late: scored.late,
      ruleIds: scored.ruleHits.map((hit) => hit.ruleId),
      eventTime: tx.eventTime,
      timestamp: meta.timestamp,
    });
    this.#scored += 1;
    if (scored.late) this.#late += 1;
    this.#decisions[scored.decision] += 1;
    this.#histogram[this.#bin(scored.score)]! += 1;
    this.#countHits(scored.ruleHits);
    this.#watermark = Math.max(this.#watermark ?? scored.watermark, scored.watermark);
    this.#scoredRate.add(now);
    this.#changed = true;
  }

  addAlert(alert: Alert, meta: RecordMeta, now: number): void {
    pushBounded(this.#alerts, this.#options.recentAlerts, {
      seq: ++this.#alertSeq,
      alertId: alert.alertId,
      accountId: alert.accountId,
      transactionId: alert.transactionId,
      amountMinor: alert.amountMinor,
      currency: alert.currency,
      decision: alert.decision,
      score: alert.score,
      summary: alert.summary,
      hits: alert.ruleHits.map(({ ruleId, severity, contribution, explanation, evidence }) => ({ ruleId, severity, contribution, explanation, evidence })),
      model: alert.model === null ? null : modelView(alert.model),
      eventTime: alert.eventTime,
      timestamp: meta.timestamp,
    });
    this.#alertCount += 1;
    // A transaction's alert repeats the hits of its scored record, which were counted there; only an
    // account-level alert (a pattern completed by a login or a timer) brings hits of its own.
    if (alert.transactionId === null || alert.alertId !== transactionAlertId(alert.transactionId)) this.#countHits(alert.ruleHits);
    this.#alertRate.add(now);
    this.#changed = true;
  }

  /** A record that could not be shown. */
  addRejected(): void {
    this.#rejected += 1;
    this.#changed = true;
  }

  /** Everything the page needs from scratch. */
  snapshot(now: number): DashboardFrame {
    return { serverTime: now, transactions: newestFirst(this.#transactions, 0), alerts: newestFirst(this.#alerts, 0), stats: this.#stats(now) };
  }

  /**
   * What changed since the previous update: the new rows and the current figures. Undefined when
   * nothing did, that is no record arrived and the throughput window did not move; the watermark lag
   * alone does not count, as the page ages it by itself between updates.
   */
  takeUpdate(now: number): DashboardFrame | undefined {
    const stats = this.#stats(now);
    if (!this.#changed && sameThroughput(stats.throughput, this.#sentThroughput)) return undefined;
    const frame = {
      serverTime: now,
      transactions: newestFirst(this.#transactions, this.#sentTransactionSeq),
      alerts: newestFirst(this.#alerts, this.#sentAlertSeq),
      stats,
    };
    this.#sentTransactionSeq = this.#transactionSeq;
    this.#sentAlertSeq = this.#alertSeq;
    this.#sentThroughput = stats.throughput;
    this.#changed = false;
    return frame;
  }

  #stats(now: number): DashboardStats {
    return {
      scored: this.#scored,
      alerts: this.#alertCount,
      late: this.#late,
      rejected: this.#rejected,
      throughput: this.#throughput(now),
      decisions: { ...this.#decisions },
      scoreHistogram: [...this.#histogram],
      ruleHits: [...this.#ruleHits].map(([ruleId, count]) => ({ ruleId, count })).sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId)),
      watermark: this.#watermark,
      watermarkLagMs: this.#watermark === null ? null : now - this.#watermark,
    };
  }

  #throughput(now: number): ThroughputView {
    return {
      windowMs: this.#options.throughputWindowSeconds * 1000,
      scoredPerSecond: this.#scoredRate.rate(now),
      alertsPerSecond: this.#alertRate.rate(now),
      history: this.#scoredRate.history(now),
    };
  }

  #bin(score: number): number {
    const bins = this.#options.scoreBins;
    return Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
  }

  #countHits(hits: readonly { ruleId: string }[]): void {
    for (const { ruleId } of hits) this.#ruleHits.set(ruleId, (this.#ruleHits.get(ruleId) ?? 0) + 1);
  }
}

function pushBounded<T>(rows: T[], capacity: number, row: T): void {
  rows.push(row);
  if (rows.length > capacity) rows.shift();
}

function newestFirst<T extends { seq: number }>(rows: readonly T[], afterSeq: number): T[] {
  const out: T[] = [];
  for (let i = rows.length - 1; i >= 0 && rows[i]!.seq > afterSeq; i--) out.push(rows[i]!);
  return out;
}

function sameThroughput(a: ThroughputView, b: ThroughputView): boolean {
  return (
    a.scoredPerSecond === b.scoredPerSecond &&
    a.alertsPerSecond === b.alertsPerSecond &&
    a.history.every((count, i) => count === b.history[i])
  );
}

function modelView({ model, score, ruleScore, method, contributions }: ModelScore): ModelView {
  return {
    model,
    score,
    ruleScore,
    method,
    contributions: contributions.map(({ feature, value, contribution }) => ({ feature, description: describeFeature(feature) ?? feature, value, contribution })),
  };
}
