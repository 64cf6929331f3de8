// Trains a scoring model from a recording (or from the CSV `npm run features` exports) and writes it
// as a model directory the scorer serves: model.onnx, and model.json naming the feature vector it
// reads, the data it learned from and how it did on the part of the history it did not learn from.
// The learning is XGBoost's (services/trainer/train.py, run by Debian's python3): no learning
// algorithm is written here.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RulePack } from '../../cep/rules';
import { featureSchema } from '../../cep';
import type { EventTimeSettings } from '../backtest/backtest';
import type { Logger } from '../shared/log';
import { readRecordingHeader } from '../shared/recording';
import type { ModelDescription } from '../scorer/model/served-model';
import { ROW_COLUMNS, exportFeatures } from './features';

/** Debian's python3, where python3-xgboost, python3-sklearn, python3-onnx and python3-pandas install. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

export interface TrainingParameters {
  readonly seed: number;
  readonly trees: number;
  readonly depth: number;
  readonly learningRate: number;
  /** The latest fraction of the history, by event time, kept to validate on. */
  readonly validation: number;
}

/**
 * 50 trees: on a 2 M-payment behavioural history, validation caught as many fraud instances at
 * false-alert rates of 0.1% to 1% as 150 trees did (average precision 0.86 against 0.88), and the
 * scorer walks a third of the trees for every payment's score and explanation.
 */
export const DEFAULT_TRAINING: TrainingParameters = { seed: 42, trees: 50, depth: 4, learningRate: 0.1, validation: 0.2 };

export interface TrainOptions {
  /** A recording, or a CSV of `npm run features`. */
  readonly input: string;
  /** The model directory to write. */
  readonly out: string;
  readonly pack: RulePack;
  readonly settings: EventTimeSettings;
  readonly parameters: TrainingParameters;
  readonly python: string;
  readonly logger: Logger;
  /** Validation rows whose XGBoost margins and SHAP values go to model.json, for tests. */
  readonly referenceRows?: number;
  readonly onProgress?: (records: number) => void;
}

/** model.json as `npm run train` writes it. */
export interface TrainedModel extends ModelDescription {
  readonly sha256: string;
  readonly trainer: { readonly library: string; readonly parameters: Readonly<Record<string, number>> };
  readonly data: { readonly source: string; readonly rows: number; readonly fraudRows: number; readonly from: number | null; readonly to: number | null; readonly validationFrom: number | null };
  readonly validation: Readonly<Record<string, unknown>>;
  /** XGBoost's own margin and SHAP values (and their bias) for validation rows, NaN features as null. */
  readonly reference?: readonly ReferenceRow[];
}

export interface ReferenceRow {
  readonly row: readonly (number | null)[];
  readonly margin: number;
  readonly shap: readonly number[];
  readonly bias: number;
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/** A CSV's header line: the file itself can be larger than a string may be. */
function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 16);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').split('\n', 1)[0]!;
  } finally {
    closeSync(fd);
  }
}

/** Checks the trainer's Python packages, saying how to install them when one is missing. */
export async function checkPython(python: string): Promise<void> {
  await run(python, ['-c', 'import xgboost, sklearn, onnx, pandas']).catch((error: Error) => {
    throw new Error(
      `the trainer needs ${python} with XGBoost, scikit-learn, ONNX and pandas (Debian: apt-get install -y python3-xgboost python3-sklearn python3-onnx python3-pandas): ${error.message}`,
    );
  });
}

export async function trainModel(options: TrainOptions): Promise<TrainedModel> {
  await checkPython(options.python);
  const schema = featureSchema(options.pack.rules.map((rule) => rule.id));
  const scratch = mkdtempSync(join(tmpdir(), 'peregrine-train-'));
  try {
    let csv = options.input;
    let source = options.input;
    let data = { rows: 0, fraudRows: 0, from: null as number | null, to: null as number | null };
    if (!options.input.endsWith('.csv')) {
      csv = join(scratch, 'features.csv');
      source = readRecordingHeader(options.input).source;
      options.logger.info({ input: options.input }, 'computing the feature vectors of the history');
      data = await exportFeatures({ input: options.input, out: csv, pack: options.pack, settings: options.settings, logger: options.logger, onProgress: options.onProgress });
    }
    const columns = firstLine(csv).split(',');
    if (JSON.stringify(columns) !== JSON.stringify([...ROW_COLUMNS, ...schema.names])) {
      throw new Error(`${options.input} holds other columns than feature vector ${schema.version} of the pack has: export it again with npm run features`);
    }
    mkdirSync(options.out, { recursive: true });
    const report = join(scratch, 'report.json');
    const { seed, trees, depth, learningRate, validation } = options.parameters;
    options.logger.info({ trees, depth }, 'training');
    await run(options.python, [
      join(__dirname, 'train.py'),
      ...['--input', csv, '--out', join(options.out, 'model.onnx'), '--report', report],
      ...['--seed', String(seed), '--trees', String(trees), '--depth', String(depth), '--learning-rate', String(learningRate), '--validation', String(validation)],
      ...['--reference-rows', String(options.referenceRows ?? 0)],
    ]);
    const trained = JSON.parse(readFileSync(report, 'utf8')) as {
      sha256: string;
      library: string;
      parameters: Record<string, number>;
      rows: { train: number; trainFraud: number; validation: number; validationFraud: number };
      validationFrom: number | null;
      validation: Record<string, unknown>;
      reference: ReferenceRow[];
    };
    const rows = trained.rows.train + trained.rows.validation;
    const model: TrainedModel = {
      name: basename(options.out),
      featureVersion: schema.version,
      features: schema.names,
      sha256: trained.sha256,
      trainer: { library: trained.library, parameters: trained.parameters },
      data: { source, rows, fraudRows: trained.rows.trainFraud + trained.rows.validationFraud, from: data.from, to: data.to, validationFrom: trained.validationFrom },
      validation: { rows: trained.rows.validation, fraudRows: trained.rows.validationFraud, ...trained.validation },
      ...(trained.reference.length > 0 ? { reference: trained.reference } : {}),
    };
    writeFileSync(join(options.out, 'model.json'), `${JSON.stringify(model, null, 2)}\n`);
    return model;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
