// The scorer's model as its callers wire it: the decisions, and the holder that keeps the model current.
import type { Counter } from 'prom-client';
import { featureSchema, resolveThresholds } from '../../../cep';
import type { RulePack } from '../../../cep/rules';
import type { Logger } from '../../shared/log';
import { type DecisionStep, decisionStep } from '../decisions';
import { type ModelHolder, holdModel } from './model-holder';

export { type ModelHolder } from './model-holder';
export { ModelError, type ModelDescription, type ServedModel, loadModel } from './served-model';

export interface ModelWiring {
  readonly decisions: DecisionStep;
  readonly holder: ModelHolder;
}

/**
 * A model directory for a scorer running `pack`: its decisions (with `thresholds` where given, the
 * model's own elsewhere), kept current as the directory changes. Throws when the model cannot serve.
 */
export async function modelWiring(options: { readonly dir: string; readonly pack: RulePack; readonly thresholds: { readonly review?: number; readonly decline?: number }; readonly logger: Logger; readonly loads: Counter<'outcome'> }): Promise<ModelWiring> {
  const holder = await holdModel({ dir: options.dir, schema: featureSchema(options.pack.rules.map((rule) => rule.id)), logger: options.logger, loads: options.loads });
  const { review, decline } = options.thresholds;
  const explicit = review === undefined && decline === undefined ? null : resolveThresholds({ ...holder.current().description.thresholds, review, decline });
  return { holder, decisions: decisionStep({ model: () => holder.current(), thresholds: explicit }) };
}
