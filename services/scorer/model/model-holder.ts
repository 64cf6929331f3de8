// The model the scorer serves now, and replacing it while it runs: a new model.onnx or model.json in
// the model directory (or a SIGHUP) loads it, and only a model that loads and fits the feature vector
// replaces the one in service. One that fails leaves the scorer deciding with the previous model, and
// says why in the log and in a metric.
import { watch, type FSWatcher } from 'node:fs';
import type { Counter } from 'prom-client';
import type { FeatureSchema } from '../../../cep';
import type { Logger } from '../../shared/log';
import { type ServedModel, loadModel } from './served-model';

/** Changes to a model directory come as several events (two files written): they settle this long. */
const SETTLE_MS = 500;

export interface ModelHolder {
  current(): ServedModel;
  /** Loads the directory again; resolves with whether the new model is in service. */
  reload(): Promise<boolean>;
  close(): void;
}

export interface ModelHolderOptions {
  readonly dir: string;
  readonly schema: FeatureSchema;
  readonly logger: Logger;
  /** Counts loads by outcome (`loaded`, `refused`). */
  readonly loads: Counter<'outcome'>;
  /** Reload when the directory changes (default true). */
  readonly watch?: boolean;
}

/** Loads the model (throws, naming the cause, when the first one cannot serve) and keeps it current. */
export async function holdModel({ dir, schema, logger, loads, watch: watching = true }: ModelHolderOptions): Promise<ModelHolder> {
  let model = await loadModel(dir, schema);
  loads.inc({ outcome: 'loaded' });
  logger.info({ model: model.identity.model, featureVersion: model.identity.featureVersion }, 'model in service');
  let loading: Promise<boolean> | null = null;
  const reload = () =>
    (loading ??= loadModel(dir, schema)
      .then((next) => {
        if (next.identity.model !== model.identity.model) logger.info({ model: next.identity.model, previous: model.identity.model }, 'model replaced');
        model = next;
        loads.inc({ outcome: 'loaded' });
        return true;
      })
      .catch((error: unknown) => {
        loads.inc({ outcome: 'refused' });
        logger.error({ err: error, model: model.identity.model }, 'new model refused: the previous one stays in service');
        return false;
      })
      .finally(() => (loading = null)));
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | undefined;
  if (watching) {
    watcher = watch(dir, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), SETTLE_MS);
    });
  }
  return {
    current: () => model,
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
