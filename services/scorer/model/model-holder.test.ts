import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { featureSchema } from '../../../cep';
import { starterPack } from '../../../rules/starter';
import { eventually } from '../../../test/eventually';
import { createLogger } from '../../shared/log';
import { holdModel } from './model-holder';
import { asTreeClassifier } from './testing/graphs';

const FIXTURE = join(__dirname, 'testing', 'starter-model');
const schema = featureSchema(starterPack.rules.map((rule) => rule.id));
const logger = createLogger('model-holder-test', process.env.TEST_LOG_LEVEL ?? 'silent');

let dir: string;
let loads: Counter<'outcome'>;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'peregrine-holder-')), 'model');
  cpSync(FIXTURE, dir, { recursive: true });
  loads = new Counter({ name: 'model_loads_total', help: 'loads', labelNames: ['outcome'], registers: [new Registry()] });
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const count = async (outcome: string) => (await loads.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

/** Replaces the directory's model by the same trees written as a classifier: another file, another identity. */
function deployClassifier(): void {
  writeFileSync(join(dir, 'model.onnx'), asTreeClassifier(readFileSync(join(FIXTURE, 'model.onnx'))));
  const json = JSON.parse(readFileSync(join(FIXTURE, 'model.json'), 'utf8')) as Record<string, unknown>;
  delete json.sha256;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

describe('the model in service', () => {
  it('refuses to start without a model that can serve', async () => {
    writeFileSync(join(dir, 'model.onnx'), 'garbage');
    await expect(holdModel({ dir, schema, logger, loads, watch: false })).rejects.toThrow(/SHA-256/);
  });

  it('keeps the previous model when a new one fails to load, and takes the next one that loads', async () => {
    const holder = await holdModel({ dir, schema, logger, loads, watch: false });
    const first = holder.current();
    const row = new Float32Array(schema.names.length).fill(Number.NaN);
    writeFileSync(join(dir, 'model.onnx'), 'a half-written file');
    await expect(holder.reload()).resolves.toBe(false);
    expect(holder.current()).toBe(first);
    expect((await holder.current().score([row]))[0]!.score).toBeGreaterThan(0);
    expect([await count('loaded'), await count('refused')]).toEqual([1, 1]);

    deployClassifier();
    await expect(holder.reload()).resolves.toBe(true);
    expect(holder.current().identity.model).not.toBe(first.identity.model);
    expect(holder.current().identity.model).toMatch(/^starter-model@[0-9a-f]{12}$/);
    expect([await count('loaded'), await count('refused')]).toEqual([2, 1]);
    holder.close();
  });

  it('loads a model written into its directory while it serves', async () => {
    const holder = await holdModel({ dir, schema, logger, loads });
    const first = holder.current().identity.model;
    deployClassifier();
    try {
      await eventually(() => holder.current().identity.model, (model) => model !== first, 'the new model in service', 10_000);
    } finally {
      holder.close();
    }
  });
});
