// Training, end to end with the trainer's Python (Debian's python3 with XGBoost, scikit-learn, ONNX,
// pandas; .ci/run installs them): a simulated recording to labelled vectors, to a model the scorer
// serves with the scores and explanations XGBoost itself gives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureSchema } from '../../cep';
import { starterPack } from '../../rules/starter';
import { createLogger } from '../shared/log';
import { loadModel } from '../scorer/model';
import { runSimulation } from '../simulator/run';
import type { RunSummary } from '../simulator/summary';
import { recordingDestination } from '../simulator/to-recording';
import { ROW_COLUMNS, exportFeatures } from './features';
import { DEFAULT_PYTHON, DEFAULT_TRAINING, trainModel } from './train';

const SETTINGS = { outOfOrdernessMs: 5_000, idleTimeoutMs: 100, allowedLatenessMs: 60_000, aheadBoundMs: 3_600_000, maxFutureSkewMs: 365 * 86_400_000 };
const logger = createLogger('trainer-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const schema = featureSchema(starterPack.rules.map((rule) => rule.id));
const python = process.env.PYTHON ?? DEFAULT_PYTHON;

describe('training a model from a recording', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainer-'));
  const recording = join(dir, 'history.avro');
  let summary: RunSummary;

  beforeAll(async () => {
    const options = { seed: 31, count: 40_000, rate: 0, eventRate: 4, accounts: 1_500, mix: 'behavioural' as const, fraudRate: 30 };
    const destination = await recordingDestination(recording, options);
    summary = await runSimulation(options, destination.deps);
    await destination.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const train = (out: string, seed: number) =>
    trainModel({ input: recording, out: join(dir, out), pack: starterPack, settings: SETTINGS, parameters: { ...DEFAULT_TRAINING, trees: 25, seed }, python, logger, referenceRows: 30 });

  it('exports one labelled row per payment, with the columns of the pack\'s feature vector', async () => {
    const csv = join(dir, 'features.csv');
    const result = await exportFeatures({ input: recording, out: csv, pack: starterPack, settings: SETTINGS, logger });
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[0]!.split(',')).toEqual([...ROW_COLUMNS, ...schema.names]);
    expect(result).toMatchObject({ rows: summary.transactions, featureVersion: schema.version });
    expect(lines).toHaveLength(summary.transactions + 1);
    const fraud = lines.slice(1).filter((line) => line.split(',')[3] === '1');
    const behavioural = Object.values(summary.behavioural).reduce((a, b) => a + b, 0);
    expect(fraud.length).toBe(behavioural);
    expect(result.fraudRows).toBe(behavioural);
    // A fraud row names its behaviour and instance; every row has a value or an empty (unknown) cell per feature.
    for (const line of fraud) expect(line.split(',').slice(4, 6)).toEqual([expect.stringMatching(/^[a-z-]+$/), expect.stringMatching(/.+/)]);
    for (const line of lines.slice(1, 200)) expect(line.split(',')).toHaveLength(ROW_COLUMNS.length + schema.names.length);
  }, 120_000);

  it('is deterministic for a seed, and the scorer serves what XGBoost scored', async () => {
    const first = await train('first', 7);
    const again = await train('again', 7);
    const other = await train('other', 8);
    expect(again.sha256).toBe(first.sha256);
    expect(readFileSync(join(dir, 'again', 'model.onnx'))).toEqual(readFileSync(join(dir, 'first', 'model.onnx')));
    expect(other.sha256).not.toBe(first.sha256);
    expect(first).toMatchObject({ name: 'first', featureVersion: schema.version, features: schema.names, data: { rows: summary.transactions, source: 'simulator seed 31' } });
    expect(first.data.validationFrom).toBeGreaterThan(first.data.from!);
    expect(first.validation).toMatchObject({ rows: expect.any(Number), rocAuc: expect.any(Number) });

    const served = await loadModel(join(dir, 'first'), schema);
    const reference = first.reference!;
    expect(reference).toHaveLength(30);
    const rows = reference.map((r) => Float32Array.from(r.row, (v) => (v === null ? Number.NaN : v)));
    const verdicts = await served.score(rows);
    verdicts.forEach((verdict, i) => {
      expect(verdict.score).toBeCloseTo(1 / (1 + Math.exp(-reference[i]!.margin)), 6);
      for (const c of verdict.explain(true).contributions) expect(c.contribution).toBeCloseTo(reference[i]!.shap[schema.names.indexOf(c.feature)]!, 4);
    });
  }, 300_000);

  it('refuses a CSV of another feature vector, and says what the trainer needs when its Python lacks a package', async () => {
    const csv = join(dir, 'other.csv');
    writeFileSync(csv, `${[...ROW_COLUMNS, 'amount_log'].join(',')}\n1,a,0,0,,,1.5\n`);
    await expect(trainModel({ input: csv, out: join(dir, 'never'), pack: starterPack, settings: SETTINGS, parameters: DEFAULT_TRAINING, python, logger })).rejects.toThrow(
      /holds other columns than feature vector v1-[0-9a-f]{8} of the pack has: export it again with npm run features/,
    );
    await expect(trainModel({ input: csv, out: join(dir, 'never'), pack: starterPack, settings: SETTINGS, parameters: DEFAULT_TRAINING, python: '/bin/false', logger })).rejects.toThrow(
      /the trainer needs \/bin\/false with XGBoost, scikit-learn, ONNX and pandas \(Debian: apt-get install -y python3-xgboost/,
    );
  }, 60_000);
});
