// A scoring model as the scorer serves it: an ONNX graph run by onnxruntime (its CPU build, inside the
// npm package), described by a model.json beside it that names the feature vector it reads. A model
// whose vector is not the one the scorer's rule pack computes is refused with a message saying both.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { type DecisionThresholds, type FeatureSchema, type ModelIdentity, type ModelVerdict, resolveThresholds } from '../../../cep';
import { type Explainer, explainerOf } from './explainer';

const NO_EXPLANATION = { method: 'none', contributions: [] };

/** What model.json holds: written by `npm run train`, or by hand for a model trained elsewhere. */
export interface ModelDescription {
  readonly name: string;
  /** The feature vector the model reads: the `version` of the scorer's FeatureSchema. */
  readonly featureVersion: string;
  /** The columns, in order, as the vector names them. */
  readonly features: readonly string[];
  /** SHA-256 of model.onnx, hex; checked when present. */
  readonly sha256?: string;
  /** Thresholds chosen for the model (thresholds.json, written by npm run backtest -- --target-...), used unless the scorer is given others. */
  readonly thresholds?: DecisionThresholds;
}

export interface ServedModel {
  readonly identity: ModelIdentity;
  readonly description: ModelDescription;
  /** One verdict per row, in order: the fraud probability and the largest feature contributions. */
  score(rows: readonly Float32Array[]): Promise<ModelVerdict[]>;
}

export class ModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelError';
  }
}

/** Loads models/<name>/ (model.onnx and model.json) for a scorer computing `schema`. */
export async function loadModel(dir: string, schema: FeatureSchema): Promise<ServedModel> {
  let description: ModelDescription;
  let bytes: Buffer;
  try {
    description = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelDescription;
    bytes = await readFile(join(dir, 'model.onnx'));
  } catch (cause) {
    throw new ModelError(`cannot read the model in ${dir} (model.json and model.onnx): ${(cause as Error).message}`, { cause });
  }
  if (typeof description.featureVersion !== 'string' || !Array.isArray(description.features)) {
    throw new ModelError(`${dir}/model.json must name featureVersion (a string) and features (the column names)`);
  }
  description = { ...description, name: typeof description.name === 'string' ? description.name : basename(dir) };
  const chosen = await chosenThresholds(dir);
  if (chosen !== undefined) description = { ...description, thresholds: chosen };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (description.sha256 !== undefined && description.sha256 !== sha256) {
    throw new ModelError(`${dir}/model.onnx has SHA-256 ${sha256}, but model.json describes ${description.sha256}: the files do not belong together`);
  }
  if (description.featureVersion !== schema.version) {
    throw new ModelError(`model ${description.name} reads feature vector ${description.featureVersion}; the scorer's rule pack computes ${schema.version} (retrain the model on this pack's features)`);
  }
  if (JSON.stringify(description.features) !== JSON.stringify(schema.names)) {
    throw new ModelError(`model ${description.name} names other columns than feature vector ${schema.version} has, though it claims that version`);
  }
  let session: ort.InferenceSession;
  let explainer: Explainer | null;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
    explainer = explainerOf(bytes, schema.names);
  } catch (cause) {
    throw new ModelError(`${dir}/model.onnx is not a model onnxruntime can serve: ${(cause as Error).message}`, { cause });
  }
  const input = session.inputNames[0]!;
  // The probability of fraud: the graph's only output, or the one named so.
  const output = session.outputNames.includes('probability') ? 'probability' : session.outputNames[session.outputNames.length - 1]!;
  const width = schema.names.length;
  const model: ServedModel = {
    identity: { model: `${description.name}@${sha256.slice(0, 12)}`, featureVersion: description.featureVersion },
    description,
    async score(rows) {
      if (rows.length === 0) return [];
      const data = new Float32Array(rows.length * width);
      rows.forEach((row, i) => data.set(row, i * width));
      const results = await session.run({ [input]: new ort.Tensor('float32', data, [rows.length, width]) });
      const probabilities = probabilitiesOf(results[output]!, rows.length);
      return rows.map((row, i) => ({
        score: probabilities[i]!,
        explain: (exact: boolean) => (explainer === null ? NO_EXPLANATION : explainer.explain(row, exact)),
      }));
    },
  };
  await probe(model, dir, width);
  return model;
}

/**
 * Scores a payment of which nothing is known (every feature NaN, as for a first payment of an unknown
 * account) and one of all zeros: a model that gives no probability for them would give none for real
 * payments either, so it is refused before it serves.
 */
async function probe(model: ServedModel, dir: string, width: number): Promise<void> {
  let scores: number[];
  try {
    scores = (await model.score([new Float32Array(width).fill(Number.NaN), new Float32Array(width)])).map((v) => v.score);
  } catch (cause) {
    throw new ModelError(`${dir}/model.onnx fails to score a feature vector of ${width} columns: ${(cause as Error).message}`, { cause });
  }
  const [unknown, zeros] = scores;
  if (!(unknown! >= 0 && unknown! <= 1)) {
    throw new ModelError(`${dir}/model.onnx gives ${unknown} for a payment whose features are unknown (NaN): a model must take missing values (trees do; put an Imputer before a linear model)`);
  }
  if (!(zeros! >= 0 && zeros! <= 1)) throw new ModelError(`${dir}/model.onnx gives ${zeros}, not a probability, for a feature vector of zeros`);
}

/** Thresholds chosen by a backtest (thresholds.json beside the model, apart from what training wrote), if any. */
async function chosenThresholds(dir: string): Promise<DecisionThresholds | undefined> {
  const path = join(dir, 'thresholds.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const { thresholds } = JSON.parse(text) as { thresholds?: Partial<DecisionThresholds> };
    return resolveThresholds({ review: thresholds?.review, decline: thresholds?.decline });
  } catch (error) {
    throw new ModelError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A [n, 1] probability, or a classifier's [n, 2] class probabilities (the positive class is the second). */
function probabilitiesOf(tensor: ort.Tensor, rows: number): Float32Array {
  const data = tensor.data as Float32Array;
  if (data.length === rows) return data;
  if (data.length === rows * 2) return Float32Array.from({ length: rows }, (_, i) => data[i * 2 + 1]!);
  throw new ModelError(`the model's output ${tensor.dims.join('x')} is neither one probability per row nor two`);
}
