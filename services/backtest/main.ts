// `npm run backtest`: replays a recorded history through the scorer's own job and measures what it
// would have caught, and at what cost (see USAGE).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DecisionThresholds } from '../../cep/rules';
import { createLogger } from '../shared/log';
import { createProgress } from '../shared/progress';
import { readRecordingHeader } from '../shared/recording';
import { RECORD_OPTIONS, recordFromKafka } from '../recorder/from-kafka';
import { scorerConfig } from '../scorer/config';
import { type Variant, runBacktest } from './backtest';
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
  --compare PATH               a second pack to compare with (default: the same pack)
  --compare-thresholds review=R,decline=D
                               thresholds of the second variant; --compare or this adds it
  --json                       one JSON object on stdout instead of tables
  --report DIR                 an HTML report with the curves (DIR/index.html) and DIR/backtest.json
  --help                       this text

The scorer's event-time settings are read from the environment as by npm run scorer
(OUT_OF_ORDERNESS_MS, IDLE_TIMEOUT_MS, ALLOWED_LATENESS_MS, AHEAD_BOUND_MS, MAX_FUTURE_SKEW_MS).
`;

// Its results go to stdout, logs (progress among them, when stderr is no terminal) to stderr.
const logger = createLogger('backtest', process.env.LOG_LEVEL ?? 'info', 2);

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
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  if ((values.input === undefined) === (values.kafka === undefined)) throw new Error('give --input FILE or --kafka BROKERS (see --help)');

  const pack = loadPack(values.pack);
  const variants: Variant[] = [{ name: values.pack, pack, thresholds: parseThresholds(values.thresholds, '--thresholds') }];
  if (values.compare !== undefined || values['compare-thresholds'] !== undefined) {
    const name = values.compare ?? `${values.pack} (${values['compare-thresholds']})`;
    variants.push({ name, pack: values.compare === undefined ? pack : loadPack(values.compare), thresholds: parseThresholds(values['compare-thresholds'], '--compare-thresholds') ?? variants[0]!.thresholds });
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
