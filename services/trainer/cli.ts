// `npm run features` and `npm run train` (see their USAGE): the command lines over features.ts and train.ts.
import { parseArgs } from 'node:util';
import { loadPack } from '../backtest/pack';
import { createLogger } from '../shared/log';
import { createProgress } from '../shared/progress';
import { readRecordingHeader } from '../shared/recording';
import { scorerConfig } from '../scorer/config';
import { exportFeatures } from './features';
import { DEFAULT_PYTHON, DEFAULT_TRAINING, trainModel } from './train';

const FEATURES_USAGE = `Usage: npm run features -- --input FILE --out FILE.csv [--pack PATH]

Replays a recording through the scorer's job and writes, per payment, its label and the feature
vector the job computed at its event time (docs/model.md), as CSV.

  --input FILE    a recording (npm run record, npm run simulate -- --out)
  --out FILE      the CSV to write
  --pack PATH     the rule pack, whose rules are columns too (default rules/starter)
  --help          this text
`;

const TRAIN_USAGE = `Usage: npm run train -- --input FILE --out models/NAME [options]

Trains gradient-boosted trees (XGBoost, through Debian's python3) on a recording's labelled feature
vectors, validates them on the latest part of the history, and writes models/NAME/model.onnx and
model.json for the scorer (MODEL=models/NAME).

  --input FILE          a recording, or a CSV of npm run features
  --out DIR             the model directory
  --pack PATH           the rule pack the scorer runs (default rules/starter)
  --seed n              the same seed and data give the same model (default ${DEFAULT_TRAINING.seed})
  --trees n             boosting rounds (default ${DEFAULT_TRAINING.trees})
  --depth n             tree depth (default ${DEFAULT_TRAINING.depth})
  --learning-rate f     (default ${DEFAULT_TRAINING.learningRate})
  --validation f        the latest fraction of the history kept for validation (default ${DEFAULT_TRAINING.validation})
  --reference-rows n    also write XGBoost's own scores and SHAP values of the first n validation rows
                        into model.json, to check a serving stack against (default 0)
  --python PATH         the python with xgboost, sklearn, onnx, pandas (env PYTHON, default ${DEFAULT_PYTHON})
  --help                this text
`;

// Results go to stdout, logs and progress to stderr.
const logger = createLogger('trainer', process.env.LOG_LEVEL ?? 'info', 2);

function number(values: Record<string, unknown>, name: string, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const parsed = Number(text);
  if (typeof text !== 'string' || !Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got "${String(text)}"`);
  return parsed;
}

async function main(command: string | undefined, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      input: { type: 'string' },
      out: { type: 'string' },
      pack: { type: 'string', default: 'rules/starter' },
      seed: { type: 'string' },
      trees: { type: 'string' },
      depth: { type: 'string' },
      'learning-rate': { type: 'string' },
      validation: { type: 'string' },
      python: { type: 'string' },
      'reference-rows': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const usage = command === 'features' ? FEATURES_USAGE : TRAIN_USAGE;
  if (values.help) return void process.stdout.write(usage);
  if (values.input === undefined || values.out === undefined) throw new Error(`--input and --out are required\n\n${usage}`);
  const progress = createProgress({ doing: command === 'features' ? 'exporting' : 'computing features', unit: 'records', interactive: process.stderr.isTTY === true, logger });
  const total = values.input.endsWith('.csv') ? 0 : (readRecordingHeader(values.input).records ?? 0);
  const onProgress = (records: number) => progress.update(records, Math.max(total, records));
  const common = { input: values.input, out: values.out, pack: loadPack(values.pack), settings: scorerConfig(process.env), logger, onProgress };
  try {
    const result =
      command === 'features'
        ? await exportFeatures(common)
        : await trainModel({
            ...common,
            python: values.python ?? process.env.PYTHON ?? DEFAULT_PYTHON,
            referenceRows: number(values, 'reference-rows', 0),
            parameters: {
              seed: number(values, 'seed', DEFAULT_TRAINING.seed),
              trees: number(values, 'trees', DEFAULT_TRAINING.trees),
              depth: number(values, 'depth', DEFAULT_TRAINING.depth),
              learningRate: number(values, 'learning-rate', DEFAULT_TRAINING.learningRate),
              validation: number(values, 'validation', DEFAULT_TRAINING.validation),
            },
          });
    progress.stop();
    process.stdout.write(`${JSON.stringify({ ...result, features: result.features.length })}\n`);
  } finally {
    progress.stop();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  logger.fatal({ err: error }, 'failed');
  process.exit(1);
});
