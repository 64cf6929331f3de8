// What the dashboard server sends over socket.io: one `snapshot` to a client when it connects, then
// `update` frames broadcast at most once per flush interval. Both are a DashboardFrame; a snapshot's
// rows are everything the server keeps, an update's rows only those that arrived since the previous
// update. Rows carry a sequence number so that a client that connected between two updates can drop
// the rows its snapshot already held. dashboard/app.js is the reference reader.
import type { Decision, Severity } from '../../schemas';

export const DashboardEvent = {
  Snapshot: 'snapshot',
  Update: 'update',
} as const;

export interface TransactionRow {
  /** Numbers the rows of its kind in the order the server received them, from 1 in each server process. */
  readonly seq: number;
  readonly transactionId: string;
  readonly accountId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly merchantId: string;
  readonly country: string;
  readonly channel: string;
  readonly score: number;
  readonly decision: Decision;
  readonly late: boolean;
  readonly ruleIds: readonly string[];
  /** The payment's event time, epoch ms. */
  readonly eventTime: number;
  /** The fraud.scored record's timestamp as produced, epoch ms: with `serverTime`, the produce-to-socket latency. */
  readonly timestamp: number;
}

export interface AlertHitView {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly contribution: number;
  readonly explanation: string;
  /** Feature values the rule used, as text. */
  readonly evidence: Readonly<Record<string, string>>;
}

/** One feature's share of a model's score, with what the feature means. */
export interface ContributionView {
  readonly feature: string;
  readonly description: string;
  readonly value: number | null;
  /** In log-odds: positive pushed the score towards fraud. */
  readonly contribution: number;
}

export interface ModelView {
  readonly model: string;
  readonly score: number;
  readonly ruleScore: number;
  readonly method: string;
  readonly contributions: readonly ContributionView[];
}

export interface AlertRow {
  readonly seq: number;
  readonly alertId: string;
  readonly accountId: string;
  readonly transactionId: string | null;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly decision: Decision;
  readonly score: number;
  readonly summary: string;
  readonly hits: readonly AlertHitView[];
  /** The model's verdict when a model decided, null when the rules did. */
  readonly model: ModelView | null;
  readonly eventTime: number;
  /** The fraud.alerts record's timestamp as produced, epoch ms. */
  readonly timestamp: number;
}

export interface ThroughputView {
  readonly windowMs: number;
  readonly scoredPerSecond: number;
  readonly alertsPerSecond: number;
  /** Scored records received in each of the last seconds of wall-clock time, oldest first. */
  readonly history: readonly number[];
}

export interface DashboardStats {
  /** Counts since the server started. */
  readonly scored: number;
  readonly alerts: number;
  readonly late: number;
  /** Records that could not be decoded or made no sense; counted, logged and skipped. */
  readonly rejected: number;
  readonly throughput: ThroughputView;
  readonly decisions: Readonly<Record<Decision, number>>;
  /** Scored records per score bin of equal width over [0, 1]; a score of exactly 1 is in the last bin. */
  readonly scoreHistogram: readonly number[];
  /** Most hit first. */
  readonly ruleHits: ReadonlyArray<{ readonly ruleId: string; readonly count: number }>;
  /** The newest watermark carried by a scored record (event time, epoch ms); null before the first. */
  readonly watermark: number | null;
  /** `serverTime - watermark`: how far the decisions trail the wall clock. */
  readonly watermarkLagMs: number | null;
}

export interface DashboardFrame {
  /** Wall clock of the server when it built the frame, epoch ms. */
  readonly serverTime: number;
  /** Newest first. */
  readonly transactions: readonly TransactionRow[];
  /** Newest first. */
  readonly alerts: readonly AlertRow[];
  readonly stats: DashboardStats;
}
