// What an ONNX graph says about how it scores, for explanations: a tree ensemble (its trees, for Tree
// SHAP) or a linear model (its weights). Read from the graph itself, so that a model trained
// elsewhere and exported to ONNX is explained as the project's own trainer's are. A graph of another
// kind is served without contributions.
import { onnx } from 'onnx-proto';
import type { FeatureContribution } from '../../../schemas';
import { type Explanation, type Tree, type TreeEnsemble, TreeExplainer } from '../../../cep/model';

/** The contributions of the largest magnitude a scored record carries. */
export const TOP_CONTRIBUTIONS = 5;

export interface Explainer {
  /** Each feature's contribution to the row's log-odds, exactly or, where the kind of model has one, more cheaply. */
  explain(row: Float32Array, exact: boolean): Explanation;
}

type Attributes = Map<string, onnx.IAttributeProto>;

const numbers = (attributes: Attributes, name: string): number[] => {
  const attribute = attributes.get(name);
  if (attribute === undefined) return [];
  return attribute.floats?.length ? [...attribute.floats] : (attribute.ints ?? []).map((v) => Number(v));
};
const strings = (attributes: Attributes, name: string): string[] => (attributes.get(name)?.strings ?? []).map((s) => Buffer.from(s).toString('utf8'));

/** The trees of a TreeEnsembleRegressor or TreeEnsembleClassifier (its positive class) node. */
function treeEnsemble(node: onnx.INodeProto, features: number): TreeEnsemble {
  const a: Attributes = new Map((node.attribute ?? []).map((attribute) => [attribute.name ?? '', attribute]));
  const treeIds = numbers(a, 'nodes_treeids');
  const nodeIds = numbers(a, 'nodes_nodeids');
  const modes = strings(a, 'nodes_modes');
  const featureIds = numbers(a, 'nodes_featureids');
  const values = numbers(a, 'nodes_values');
  const trueIds = numbers(a, 'nodes_truenodeids');
  const falseIds = numbers(a, 'nodes_falsenodeids');
  const missingTrue = numbers(a, 'nodes_missing_value_tracks_true');
  const hitRates = numbers(a, 'nodes_hitrates');
  const prefix = node.opType === 'TreeEnsembleClassifier' ? 'class' : 'target';
  const targetTrees = numbers(a, `${prefix}_treeids`);
  const targetNodes = numbers(a, `${prefix}_nodeids`);
  const targetIds = numbers(a, `${prefix}_ids`);
  const weights = numbers(a, `${prefix}_weights`);
  // A binary classifier's trees vote for class 1; a regressor's single target is 0.
  const positive = node.opType === 'TreeEnsembleClassifier' ? Math.max(0, ...targetIds) : 0;
  const byTree = new Map<number, number[]>();
  treeIds.forEach((tree, i) => byTree.set(tree, [...(byTree.get(tree) ?? []), i]));
  const trees: Tree[] = [];
  for (const indices of byTree.values()) {
    const size = Math.max(...indices.map((i) => nodeIds[i]!)) + 1;
    const tree: Tree = {
      feature: new Int32Array(size),
      threshold: new Float32Array(size),
      left: new Int32Array(size).fill(-1),
      right: new Int32Array(size).fill(-1),
      missingLeft: new Uint8Array(size),
      value: new Float64Array(size),
      // Without hit rates, every node weighs the same: an approximation, said in the docs.
      cover: new Float64Array(size).fill(1),
    };
    for (const i of indices) {
      const id = nodeIds[i]!;
      if (hitRates.length > 0) tree.cover[id] = hitRates[i]!;
      if (modes[i] === 'LEAF') continue;
      if (modes[i] !== 'BRANCH_LT') throw new Error(`tree node mode ${modes[i]} is not explained (only BRANCH_LT, as XGBoost exports)`);
      tree.feature[id] = featureIds[i]!;
      tree.threshold[id] = values[i]!;
      tree.left[id] = trueIds[i]!;
      tree.right[id] = falseIds[i]!;
      tree.missingLeft[id] = missingTrue[i] ?? 0;
    }
    trees.push(tree);
  }
  const treeIndex = new Map([...byTree.keys()].map((tree, i) => [tree, i]));
  targetTrees.forEach((tree, i) => {
    if (targetIds[i] === positive) trees[treeIndex.get(tree)!]!.value[targetNodes[i]!]! += weights[i]!;
  });
  const base = numbers(a, 'base_values');
  return { trees, baseMargin: base[positive] ?? base[0] ?? 0, features };
}

/** The explainer of a model file's graph, or null when it holds neither trees nor a linear model. */
export function explainerOf(model: Uint8Array, names: readonly string[]): Explainer | null {
  const features = names.length;
  const graph = onnx.ModelProto.decode(model).graph;
  for (const node of graph?.node ?? []) {
    if (node.opType === 'TreeEnsembleRegressor' || node.opType === 'TreeEnsembleClassifier') {
      const trees = new TreeExplainer(treeEnsemble(node, features));
      // One buffer for every call: explanations are computed one at a time, and taken out as objects.
      const phi = new Float64Array(features);
      return {
        explain(row, exact) {
          phi.fill(0);
          if (exact) trees.shap(row, phi);
          else trees.path(row, phi);
          return { method: exact ? 'tree-shap' : 'path', contributions: topContributions(names, row, phi) };
        },
      };
    }
    if (node.opType === 'LinearClassifier' || node.opType === 'LinearRegressor') {
      const a: Attributes = new Map((node.attribute ?? []).map((attribute) => [attribute.name ?? '', attribute]));
      const coefficients = numbers(a, 'coefficients');
      // A binary LinearClassifier may hold a row of weights per class: the last is the positive one's.
      const weights = coefficients.slice(coefficients.length - features);
      return { explain: (row) => ({ method: 'weights', contributions: topContributions(names, row, Float64Array.from(weights, (w, i) => (Number.isNaN(row[i]!) ? 0 : w * row[i]!))) }) };
    }
  }
  return null;
}

/** The largest contributions by magnitude, largest first; ties in feature order. Selected in one pass: a sort of every feature per payment costs more than the trees. */
export function topContributions(names: readonly string[], row: Float32Array, phi: Float64Array): FeatureContribution[] {
  const top: number[] = [];
  for (let i = 0; i < phi.length; i++) {
    const size = Math.abs(phi[i]!);
    let at = top.length;
    while (at > 0 && Math.abs(phi[top[at - 1]!]!) < size) at--;
    if (at >= TOP_CONTRIBUTIONS) continue;
    top.splice(at, 0, i);
    if (top.length > TOP_CONTRIBUTIONS) top.pop();
  }
  return top.map((i) => ({ feature: names[i]!, value: Number.isNaN(row[i]!) ? null : row[i]!, contribution: phi[i]! }));
}
