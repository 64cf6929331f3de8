import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureSchema } from '../../../cep';
import { starterPack } from '../../../rules/starter';
import { ModelError, loadModel } from './served-model';
import { asTreeClassifier, logisticRegression } from './testing/graphs';

// A model `npm run train` made for the starter pack, with XGBoost's own margins and SHAP values for
// 40 of its validation rows (model.json's `reference`). When the starter pack or the feature vector
// changes, make it again:
//   npm run simulate -- --rate 0 --count 60000 --event-rate 5 --accounts 2000 --mix behavioural --fraud-rate 20 --seed 7 --out /tmp/fx.avro
//   npm run train -- --input /tmp/fx.avro --out services/scorer/model/testing/starter-model --trees 30 --reference-rows 40
const FIXTURE = join(__dirname, 'testing', 'starter-model');
const schema = featureSchema(starterPack.rules.map((rule) => rule.id));
const description = JSON.parse(readFileSync(join(FIXTURE, 'model.json'), 'utf8')) as { sha256: string; reference: { row: (number | null)[]; margin: number; shap: number[] }[] };
const reference = description.reference.map((r) => ({ ...r, row: Float32Array.from(r.row, (v) => (v === null ? Number.NaN : v)) }));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

let scratch: string;
beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'peregrine-model-'))));
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the fixture to change. */
function copy(): string {
  const dir = join(scratch, 'model');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function editJson(dir: string, change: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  change(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

describe('a served model', () => {
  it("scores as the trainer did: XGBoost's probability for every reference row", async () => {
    const model = await loadModel(FIXTURE, schema);
    expect(model.identity).toEqual({ model: `starter-model@${description.sha256.slice(0, 12)}`, featureVersion: schema.version });
    expect(reference.some((r) => r.row.some(Number.isNaN))).toBe(true);
    const verdicts = await model.score(reference.map((r) => r.row));
    verdicts.forEach((verdict, i) => expect(verdict.score).toBeCloseTo(sigmoid(reference[i]!.margin), 6));
  });

  it("explains a decision with XGBoost's own SHAP values, the largest first", async () => {
    const model = await loadModel(FIXTURE, schema);
    const verdicts = await model.score(reference.map((r) => r.row));
    verdicts.forEach((verdict, i) => {
      const { method, contributions } = verdict.explain(true);
      const shap = reference[i]!.shap;
      const largest = [...shap.keys()].sort((a, b) => Math.abs(shap[b]!) - Math.abs(shap[a]!));
      expect(method).toBe('tree-shap');
      expect(contributions).toHaveLength(5);
      contributions.forEach((c, k) => {
        expect(c.contribution).toBeCloseTo(shap[schema.names.indexOf(c.feature)]!, 4);
        expect(Math.abs(c.contribution)).toBeCloseTo(Math.abs(shap[largest[k]!]!), 4);
        const value = reference[i]!.row[schema.names.indexOf(c.feature)]!;
        expect(c.value).toBe(Number.isNaN(value) ? null : value);
      });
    });
  });

  it("gives approved payments the cheaper path contributions", async () => {
    const model = await loadModel(FIXTURE, schema);
    const [verdict] = await model.score([reference[0]!.row]);
    expect(verdict!.explain(false).method).toBe('path');
  });

  it('serves a tree classifier as onnxmltools exports XGBoost, with the same scores and explanations', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'model.onnx'), asTreeClassifier(readFileSync(join(FIXTURE, 'model.onnx'))));
    editJson(dir, (json) => delete json.sha256);
    const [trees, classifier] = await Promise.all([loadModel(FIXTURE, schema), loadModel(dir, schema)]);
    const rows = reference.map((r) => r.row);
    const [a, b] = await Promise.all([trees.score(rows), classifier.score(rows)]);
    b.forEach((verdict, i) => {
      expect(verdict.score).toBeCloseTo(a[i]!.score, 6);
      expect(verdict.explain(true)).toEqual(a[i]!.explain(true));
    });
  });

  it("serves a logistic regression as skl2onnx exports it, explained by weight × value, if it takes missing values", async () => {
    const weights = schema.names.map((_, i) => (i % 3 === 0 ? 0.5 : -0.25) / (i + 1));
    const dir = copy();
    writeFileSync(join(dir, 'model.onnx'), logisticRegression(weights, -2));
    editJson(dir, (json) => delete json.sha256);
    // Unknown features are NaN, which a bare linear model turns into NaN: refused at load.
    await expect(loadModel(dir, schema)).rejects.toThrow(/gives NaN for a payment whose features are unknown \(NaN\).*Imputer/);
    writeFileSync(join(dir, 'model.onnx'), logisticRegression(weights, -2, { imputeZero: true }));
    const model = await loadModel(dir, schema);
    for (const { row } of reference.slice(0, 10)) {
      const [verdict] = await model.score([row]);
      const terms = weights.map((w, i) => (Number.isNaN(row[i]!) ? 0 : w * row[i]!));
      expect(verdict!.score).toBeCloseTo(sigmoid(terms.reduce((a, b) => a + b, -2)), 5);
      const { method, contributions } = verdict!.explain(true);
      expect(method).toBe('weights');
      for (const c of contributions) expect(c.contribution).toBeCloseTo(terms[schema.names.indexOf(c.feature)]!, 5);
      expect(Math.abs(contributions[0]!.contribution)).toBeCloseTo(Math.max(...terms.map(Math.abs)), 5);
    }
  });

  it('refuses a model of another feature vector, naming both versions', async () => {
    const other = featureSchema(['velocity-burst']);
    await expect(loadModel(FIXTURE, other)).rejects.toThrow(new ModelError(`model starter-model reads feature vector ${schema.version}; the scorer's rule pack computes ${other.version} (retrain the model on this pack's features)`));
  });

  it('refuses a model whose columns differ from the version it claims', async () => {
    const dir = copy();
    editJson(dir, (json) => (json.features = [...(json.features as string[])].reverse()));
    await expect(loadModel(dir, schema)).rejects.toThrow(/names other columns than feature vector/);
  });

  it('refuses a model file that is not the one its description was written for', async () => {
    const dir = copy();
    const bytes = readFileSync(join(dir, 'model.onnx'));
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(join(dir, 'model.onnx'), bytes);
    await expect(loadModel(dir, schema)).rejects.toThrow(/model\.onnx has SHA-256 [0-9a-f]{64}, but model\.json describes [0-9a-f]{64}: the files do not belong together/);
  });

  it('refuses a corrupt model file, and a missing one, saying which', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'model.onnx'), Buffer.from('not a model at all'));
    editJson(dir, (json) => delete json.sha256);
    await expect(loadModel(dir, schema)).rejects.toThrow(/model\.onnx is not a model onnxruntime can serve/);
    await expect(loadModel(join(scratch, 'nowhere'), schema)).rejects.toThrow(/cannot read the model in .*nowhere \(model\.json and model\.onnx\)/);
    writeFileSync(join(dir, 'model.json'), '{"name": ');
    await expect(loadModel(dir, schema)).rejects.toThrow(ModelError);
    writeFileSync(join(dir, 'model.json'), '{"name": "m"}');
    await expect(loadModel(dir, schema)).rejects.toThrow(/model\.json must name featureVersion \(a string\) and features \(the column names\)/);
  });

  it('takes the thresholds a backtest chose from thresholds.json, and refuses one it cannot read', async () => {
    const dir = copy();
    expect((await loadModel(dir, schema)).description.thresholds).toBeUndefined();
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ thresholds: { review: 0.3, decline: 0.9 } }));
    expect((await loadModel(dir, schema)).description.thresholds).toEqual({ review: 0.3, decline: 0.9 });
    writeFileSync(join(dir, 'thresholds.json'), '{');
    await expect(loadModel(dir, schema)).rejects.toThrow(/cannot read .*thresholds\.json/);
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ thresholds: { review: 0.9, decline: 0.3 } }));
    await expect(loadModel(dir, schema)).rejects.toThrow(/thresholds\.json.*decline/);
  });

  it('refuses a model file whose input is not as wide as the vector its description names', async () => {
    const dir = copy();
    copyFileSync(join(FIXTURE, 'model.onnx'), join(dir, 'model.onnx'));
    editJson(dir, (json) => (json.features = (json.features as string[]).slice(0, -1)));
    await expect(loadModel(dir, featureSchema(starterPack.rules.slice(0, -1).map((rule) => rule.id)))).rejects.toThrow(ModelError);
  });
});
