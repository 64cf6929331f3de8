// The labelled feature vectors of a history, as CSV: what a data scientist loads first (pandas,
// R, a spreadsheet), and what the trainer reads. Each row is a payment decided by the replay of the
// recording through the scorer's own job, with the vector the job computed at the payment's event
// time, and its label; warm-up payments (before the recording's `from`) are left out.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { RulePack } from '../../cep/rules';
import { featureSchema } from '../../cep';
import type { ScoredTransaction } from '../../schemas';
import type { EventTimeSettings } from '../backtest/backtest';
import { recordingTopics, replayRecording } from '../backtest/replay';
import type { Logger } from '../shared/log';
import { type RecordedLabel, readLabels, readRecordingHeader } from '../shared/recording';
import { decisionStep } from '../scorer/decisions';
import { scoringJob } from '../scorer/job';

/** The columns before the features: what a row is, and its label. */
export const ROW_COLUMNS = ['transaction_id', 'account_id', 'event_time', 'fraud', 'behaviour', 'instance_id'] as const;

export interface FeatureExport {
  readonly input: string;
  readonly out: string;
  readonly pack: RulePack;
  readonly settings: EventTimeSettings;
  readonly logger: Logger;
  readonly onProgress?: (records: number) => void;
}

export interface ExportSummary {
  readonly rows: number;
  readonly fraudRows: number;
  readonly featureVersion: string;
  readonly features: readonly string[];
  /** Event times of the first and last rows. */
  readonly from: number | null;
  readonly to: number | null;
}

/** A CSV field: numbers as they are (NaN empty), text quoted when it holds a comma, quote or line break. */
function field(value: string | number | null): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return '';
  if (typeof value === 'number') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function exportFeatures(options: FeatureExport): Promise<ExportSummary> {
  const header = readRecordingHeader(options.input);
  const schema = featureSchema(options.pack.rules.map((rule) => rule.id));
  const out = createWriteStream(options.out);
  const pending: string[] = [];
  let labels = new Map<string, RecordedLabel>();
  let rows = 0;
  let fraudRows = 0;
  let first: number | null = null;
  let last: number | null = null;
  const measured = (t: number) => (header.from === null || t >= header.from) && (header.to === null || t < header.to);
  const onVector = (scored: ScoredTransaction, vector: Float32Array) => {
    const tx = scored.transaction;
    if (!measured(tx.eventTime)) return;
    const label = labels.get(tx.transactionId);
    const fraud = label?.fraud === true;
    rows++;
    if (fraud) fraudRows++;
    first = Math.min(first ?? tx.eventTime, tx.eventTime);
    last = Math.max(last ?? tx.eventTime, tx.eventTime);
    const cells = [tx.transactionId, tx.accountId, tx.eventTime, fraud ? 1 : 0, fraud ? label!.scenario : '', fraud ? label!.instanceId : null];
    pending.push([...cells.map(field), ...Array.from(vector, field)].join(','));
  };
  out.write(`${[...ROW_COLUMNS, ...schema.names].map(field).join(',')}\n`);
  const flush = async () => {
    if (pending.length === 0) return;
    if (!out.write(`${pending.splice(0).join('\n')}\n`)) await once(out, 'drain');
  };
  await replayRecording({
    path: options.input,
    variants: [
      {
        name: 'features',
        job: scoringJob({ topics: recordingTopics(header), pack: options.pack, features: true, ...options.settings }),
        decisions: decisionStep({ model: () => null, thresholds: null, onVector }),
        onOutput: () => undefined,
      },
    ],
    idleTimeoutMs: options.settings.idleTimeoutMs,
    logger: options.logger,
    onStart: async (serde) => {
      labels = await readLabels(options.input, serde);
    },
    onProgress: (records) => {
      options.onProgress?.(records);
      void flush();
    },
  });
  await flush();
  out.end();
  await finished(out);
  return { rows, fraudRows, featureVersion: schema.version, features: schema.names, from: first, to: last };
}
