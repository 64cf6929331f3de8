// `npm run backtest`: replays a recorded history through the scorer's own job and measures what it
// would have caught, and at what cost (see USAGE).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DecisionThresholds } from '../../cep/rules';
import { createLogger } from '../shared/log';
import { createProgress } from '../shared/progress';
import { readRecordingHeader } from '../shared/recording';
import { RECORD_OPTIONS, recordFromKafka } from '../recorder/from-kafka';
import { scorerConfig } from '../scorer/config';
import { type BacktestResult, type Variant, runBacktest } from './backtest';
import { type ThresholdTarget, chooseThreshold } from './metrics';
import { loadPack } from './pack';
import { toJson, toText, writeHtmlReport } from './report';

const USAGE = `Usage: npm run backtest -- (--input FILE | --kafka host:port,...) [options]

Replays a recorded history through the scorer's own job (event time, watermarks, the same decisions
the scorer makes) and measures it against the history's fraud labels: per rule, overall at the
thresholds, and as a sweep of the threshold. Writes nothing to any topic.

  --input FILE                 a recording (npm run record, or npm run simulate -- --out FILE)
  --kafka host:port,...        record from this broker first (with --registry, --from, --to, --warmup, --namespace as npm run record)
  --pack PATH                  the rule pack module (default rules/starter)
  --thresholds review=R,decline=D
                               the decision thresholds (default review=0.5,decline=0.8)
  --model DIR                  a model decides (npm run train), on the pack's feature vector
  --compare PATH               a second pack to compare with (default: the same pack)
  --compare-thresholds review=R,decline=D
                               thresholds of the second variant; --compare, --compare-model or this adds it
  --compare-model DIR          the second variant's model (--compare-model rules: the rules decide)
  --target-false-alert-rate review=R,decline=D
  --target-alert-rate review=R,decline=D
                               with --model: choose the thresholds that flag at most these shares of the
                               legitimate payments (or of all payments), and write them to DIR/thresholds.json,
                               where the scorer reads them
  --json                       one JSON object on stdout instead of tables
  --report DIR                 an HTML report with the curves (DIR/index.html) and DIR/backtest.json
  --help                       this text

The scorer's event-time settings are read from the environment as by npm run scorer
(OUT_OF_ORDERNESS_MS, IDLE_TIMEOUT_MS, ALLOWED_LATENESS_MS, AHEAD_BOUND_MS, MAX_FUTURE_SKEW_MS).
`;

// Its results go to stdout, logs (progress among them, when stderr is no terminal) to stderr.
const logger = createLogger('backtest', process.env.LOG_LEVEL ?? 'info', 2);

/** `review=R,decline=D` of --target-false-alert-rate or --target-alert-rate, or null when neither is given. */
function targetsOf(values: { 'target-false-alert-rate'?: string; 'target-alert-rate'?: string }): { review: ThresholdTarget; decline: ThresholdTarget } | null {
  const far = values['target-false-alert-rate'];
  const alerts = values['target-alert-rate'];
  if (far !== undefined && alerts !== undefined) throw new Error('give --target-false-alert-rate or --target-alert-rate, not both');
  const text = far ?? alerts;
  if (text === undefined) return null;
  const option = far !== undefined ? '--target-false-alert-rate' : '--target-alert-rate';
  const { review, decline } = parseThresholds(text, option)!;
  if (review === undefined || decline === undefined || decline > review) throw new Error(`${option} takes review=R,decline=D with D <= R, got "${text}"`);
  const target = (rate: number): ThresholdTarget => (far !== undefined ? { falseAlertRate: rate } : { alertRate: rate });
  return { review: target(review), decline: target(decline) };
}

/** Chooses from the first variant's sweep and writes DIR/thresholds.json; returns what it wrote. */
function writeChosenThresholds(dir: string, result: BacktestResult, targets: { review: ThresholdTarget; decline: ThresholdTarget }) {
  const { curve } = result.variants[0]!.figures;
  const review = chooseThreshold(curve, targets.review);
  const decline = chooseThreshold(curve, targets.decline);
  if (review === null || decline === null) throw new Error('no threshold of the sweep flags as few payments as the target: give a larger one');
  const chosen = {
    thresholds: { review: review.threshold, decline: Math.max(review.threshold, decline.threshold) },
    targets,
    recording: result.header.source,
    atReview: review,
    atDecline: decline,
  };
  writeFileSync(join(dir, 'thresholds.json'), `${JSON.stringify(chosen, null, 2)}\n`);
  return chosen.thresholds;
}

function parseThresholds(text: string | undefined, option: string): Partial<DecisionThresholds> | undefined {
  if (text === undefined) return undefined;
  const thresholds: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    const number = Number(value);
    if ((name !== 'review' && name !== 'decline') || value === undefined || !Number.isFinite(number)) {
      throw new Error(`${option} takes review=R,decline=D with numbers in (0, 1], got "${text}"`);
    }
    thresholds[name] = number;
  }
  return thresholds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      ...RECORD_OPTIONS,
      input: { type: 'string' },
      kafka: { type: 'string' },
      pack: { type: 'string', default: 'rules/starter' },
      thresholds: { type: 'string' },
      compare: { type: 'string' },
      'compare-thresholds': { type: 'string' },
      model: { type: 'string' },
      'compare-model': { type: 'string' },
      'target-false-alert-rate': { type: 'string' },
      'target-alert-rate': { type: 'string' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  if ((values.input === undefined) === (values.kafka === undefined)) throw new Error('give --input FILE or --kafka BROKERS (see --help)');

  const pack = loadPack(values.pack);
  const targets = targetsOf(values);
  if (targets !== null && values.model === undefined) throw new Error('--target-false-alert-rate and --target-alert-rate choose a model\'s thresholds: give --model DIR');
  const variants: Variant[] = [{ name: values.model ?? values.pack, pack, thresholds: parseThresholds(values.thresholds, '--thresholds'), model: values.model }];
  if (values.compare !== undefined || values['compare-thresholds'] !== undefined || values['compare-model'] !== undefined) {
    const compareModel = values['compare-model'] === undefined ? values.model : values['compare-model'] === 'rules' ? undefined : values['compare-model'];
    const name = [compareModel ?? values.compare ?? values.pack, values['compare-thresholds']].filter(Boolean).join(' ');
    variants.push({ name, pack: values.compare === undefined ? pack : loadPack(values.compare), thresholds: parseThresholds(values['compare-thresholds'], '--compare-thresholds') ?? variants[0]!.thresholds, model: compareModel });
  }
  let input = values.input;
  let scratch: string | undefined;
  try {
    if (values.kafka !== undefined) {
      scratch = mkdtempSync(join(tmpdir(), 'peregrine-backtest-'));
      input = join(scratch, 'history.avro');
      await recordFromKafka({ brokers: values.kafka, values, out: input, logger });
    }
    const header = readRecordingHeader(input!);
    const progress = createProgress({ doing: 'backtesting', unit: 'records', interactive: process.stderr.isTTY === true, logger });
    const total = header.records ?? 0;
    const result = await runBacktest({
      input: input!,
      variants,
      settings: scorerConfig(process.env),
      logger,
      onProgress: (records) => progress.update(records, Math.max(total, records)),
    });
    progress.stop();
    if (targets !== null) logger.info({ thresholds: writeChosenThresholds(values.model!, result, targets) }, 'thresholds chosen for the model');
    if (values.report !== undefined) logger.info({ report: writeHtmlReport(result, values.report) }, 'report written');
    process.stdout.write(values.json ? `${JSON.stringify(toJson(result))}\n` : toText(result));
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'backtest failed');
  process.exit(1);
});
