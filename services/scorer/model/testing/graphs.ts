// ONNX graphs as other exporters write them, built from their protobuf definitions, for the model
// tests: scikit-learn's logistic regression (skl2onnx: a LinearClassifier with class probabilities)
// and XGBoost's trees as onnxmltools exports a binary classifier (a TreeEnsembleClassifier).
import { onnx } from 'onnx-proto';

const { AttributeType } = onnx.AttributeProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

const floats = (name: string, values: readonly number[]): onnx.IAttributeProto => ({ name, type: AttributeType.FLOATS, floats: [...values] });
const ints = (name: string, values: readonly number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints: [...values] });
const text = (name: string, value: string): onnx.IAttributeProto => ({ name, type: AttributeType.STRING, s: Buffer.from(value) });

function tensor(name: string, type: number, dims: readonly (number | null)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (d === null ? { dimParam: 'n' } : { dimValue: d })) } } } };
}

function modelOf(nodes: onnx.INodeProto[], features: number, outputs: onnx.IValueInfoProto[]): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'peregrine-tests',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: { name: 'test', node: nodes, input: [tensor('input', FLOAT, [null, features])], output: outputs },
  }).finish();
}

/**
 * A binary logistic regression as skl2onnx writes it without ZipMap: labels and [n, 2] probabilities;
 * with `imputeZero`, behind an Imputer that takes a missing value for 0, as a pipeline would.
 */
export function logisticRegression(weights: readonly number[], intercept: number, { imputeZero = false } = {}): Uint8Array {
  const imputer: onnx.INodeProto = {
    opType: 'Imputer',
    domain: 'ai.onnx.ml',
    input: ['input'],
    output: ['imputed'],
    attribute: [floats('imputed_value_floats', weights.map(() => 0)), { name: 'replaced_value_float', type: AttributeType.FLOAT, f: Number.NaN }],
  };
  const linear: onnx.INodeProto = {
    opType: 'LinearClassifier',
    domain: 'ai.onnx.ml',
    input: [imputeZero ? 'imputed' : 'input'],
    output: ['label', 'probabilities'],
    attribute: [ints('classlabels_ints', [0, 1]), floats('coefficients', [...weights.map((w) => -w), ...weights]), floats('intercepts', [-intercept, intercept]), text('post_transform', 'LOGISTIC')],
  };
  return modelOf(imputeZero ? [imputer, linear] : [linear], weights.length, [tensor('label', INT64, [null]), tensor('probabilities', FLOAT, [null, 2])]);
}

/** The trees of a model file's TreeEnsembleRegressor as a binary TreeEnsembleClassifier with a logistic transform, as onnxmltools writes XGBoost's. */
export function asTreeClassifier(regressor: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(regressor);
  const graph = model.graph!;
  const trees = graph.node!.find((node) => node.opType === 'TreeEnsembleRegressor')!;
  const features = Number(graph.input![0]!.type!.tensorType!.shape!.dim![1]!.dimValue);
  const attributes = (trees.attribute ?? [])
    .filter((a) => !['n_targets', 'aggregate_function', 'post_transform', 'base_values'].includes(a.name!))
    .map((a) => (a.name!.startsWith('target_') ? { ...a, name: a.name!.replace('target_', 'class_') } : a));
  const base = (trees.attribute ?? []).find((a) => a.name === 'base_values')?.floats ?? [0];
  const node: onnx.INodeProto = {
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    input: ['input'],
    output: ['label', 'probabilities'],
    attribute: [...attributes, ints('classlabels_int64s', [0, 1]), floats('base_values', base), text('post_transform', 'LOGISTIC')],
  };
  return modelOf([node], features, [tensor('label', INT64, [null]), tensor('probabilities', FLOAT, [null, 2])]);
}
