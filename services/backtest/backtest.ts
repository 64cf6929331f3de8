// A backtest: a recording replayed through the scorer's own job, once per variant (a rule pack with
// its thresholds), in one pass over the file, measured against the recording's labels.
import type { DecisionThresholds, RulePack } from '../../cep/rules';
import { resolveThresholds, transactionAlertId } from '../../cep/rules';
import { featureSchema } from '../../cep';
import { decisionStep } from '../scorer/decisions';
import { loadModel } from '../scorer/model';
import { typeOf } from '../../schemas';
import type { Alert, DeadLetter, ScoredTransaction } from '../../schemas';
import type { Logger } from '../shared/log';
import { type RecordedLabel, type RecordingHeader, readLabels, readRecordingHeader } from '../shared/recording';
import type { AvroSerde } from '../shared/serde';
import type { OutgoingRecord } from '../shared/stream';
import { scoringJob } from '../scorer/job';
import { BacktestMetrics, type BacktestFigures } from './metrics';
import { recordingTopics, replayRecording } from './replay';

/** The scorer's event-time settings, as `npm run scorer` reads them (services/scorer/config.ts). */
export interface EventTimeSettings {
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly allowedLatenessMs: number;
  readonly aheadBoundMs: number;
  readonly maxFutureSkewMs: number;
}

export interface Variant {
  readonly name: string;
  readonly pack: RulePack;
  readonly thresholds?: Partial<DecisionThresholds>;
  /** A model directory: the model decides, on the pack's feature vector (thresholds not given are the model's own). */
  readonly model?: string;
}

export interface BacktestOptions {
  readonly input: string;
  readonly variants: readonly Variant[];
  readonly settings: EventTimeSettings;
  readonly logger: Logger;
  /** Input records replayed so far, of the recording's. */
  readonly onProgress?: (records: number) => void;
}

export interface VariantResult {
  readonly name: string;
  readonly thresholds: DecisionThresholds;
  readonly figures: BacktestFigures;
  readonly scored: number;
  readonly alerts: number;
  readonly deadLetters: Readonly<Record<string, number>>;
}

export interface BacktestResult {
  readonly header: RecordingHeader;
  readonly inputRecords: number;
  readonly labels: number;
  readonly variants: readonly VariantResult[];
  /** Between the first two variants: alerts (REVIEW or DECLINE) the second adds and removes, by transaction id. */
  readonly compare: { readonly added: readonly string[]; readonly removed: readonly string[] } | null;
  readonly seconds: number;
}

export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const started = performance.now();
  const header = readRecordingHeader(options.input);
  const topics = recordingTopics(header);
  let serde: AvroSerde | undefined;
  const decodeAs = async <T>(value: Buffer | null, schema: 'ScoredTransaction' | 'Alert' | 'DeadLetter'): Promise<T | null> => {
    const result = await serde!.decode<T>(value, { readerSchema: typeOf(schema) });
    return result.ok ? result.value : null;
  };
  let labels = new Map<string, RecordedLabel>();
  const variants = await Promise.all(options.variants.map(async (variant) => {
    const model = variant.model === undefined ? null : await loadModel(variant.model, featureSchema(variant.pack.rules.map((rule) => rule.id)));
    const thresholds = resolveThresholds({ ...model?.description.thresholds, ...definedOnly(variant.thresholds ?? {}) });
    const state = { thresholds, metrics: null as BacktestMetrics | null, scored: 0, alerts: 0, deadLetters: {} as Record<string, number> };
    const onOutput = async (record: OutgoingRecord) => {
      if (record.topic === topics.scored) {
        const scored = await decodeAs<ScoredTransaction>(record.value, 'ScoredTransaction');
        if (scored === null) throw new Error('the backtest could not read a scored record it wrote');
        state.scored++;
        const tx = scored.transaction;
        state.metrics!.add({ transactionId: tx.transactionId, eventTime: tx.eventTime, amountMinor: tx.amountMinor, currency: tx.currency, score: scored.score, decision: scored.decision, ruleIds: scored.ruleHits.map((h) => h.ruleId) });
      } else if (record.topic === topics.alerts) {
        state.alerts++;
        const alert = await decodeAs<Alert>(record.value, 'Alert');
        // A payment's own alert is counted with its decision; the others are about the account.
        if (alert !== null && (alert.transactionId === null || alert.alertId !== transactionAlertId(alert.transactionId))) {
          state.metrics!.addAccountAlert({ accountId: alert.accountId, eventTime: alert.eventTime, score: alert.score });
        }
      } else {
        const letter = await decodeAs<DeadLetter>(record.value, 'DeadLetter');
        const reason = letter?.reason ?? 'UNREADABLE';
        state.deadLetters[reason] = (state.deadLetters[reason] ?? 0) + 1;
      }
    };
    const job = scoringJob({ topics, pack: variant.pack, thresholds, ...options.settings, features: model !== null });
    const decisions = model === null ? undefined : decisionStep({ model: () => model, thresholds });
    return { variant, state, replay: { name: variant.name, job, onOutput, decisions } };
  }));

  const replay = await replayRecording({
    path: options.input,
    variants: variants.map((v) => v.replay),
    idleTimeoutMs: options.settings.idleTimeoutMs,
    logger: options.logger,
    onProgress: options.onProgress,
    onStart: async (replaySerde) => {
      serde = replaySerde;
      labels = await readLabels(options.input, replaySerde);
      for (const { state } of variants) state.metrics = new BacktestMetrics(labels, state.thresholds, header);
    },
  });

  const results = variants.map(({ variant, state }) => ({
    name: variant.name,
    thresholds: state.thresholds,
    figures: state.metrics!.figures(),
    scored: state.scored,
    alerts: state.alerts,
    deadLetters: Object.fromEntries(Object.entries(state.deadLetters).sort(([a], [b]) => a.localeCompare(b))),
  }));
  let compare: BacktestResult['compare'] = null;
  if (results.length >= 2) {
    const [a, b] = [results[0]!.figures.alerted, results[1]!.figures.alerted];
    compare = { added: [...b].filter((id) => !a.has(id)).sort(), removed: [...a].filter((id) => !b.has(id)).sort() };
  }
  return { header, inputRecords: replay.inputRecords, labels: labels.size, variants: results, compare, seconds: (performance.now() - started) / 1000 };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
