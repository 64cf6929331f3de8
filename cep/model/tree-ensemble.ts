// A boosted tree ensemble as plain data (read from a model file by the service), its margin, and the
// exact SHAP values of a row: how much each feature moved the margin away from the ensemble's
// expected value. The algorithm is Lundberg, Erion and Lee's polynomial-time Tree SHAP
// ("Consistent individualized feature attribution for tree ensembles", 2018, Algorithm 2), as the
// `shap` package implements it in tree_shap.h; it is written here because no JavaScript library
// computes it, and it is checked against XGBoost's own pred_contribs in the model tests.

/** One tree in flat arrays indexed by node; a leaf has `left` -1. */
export interface Tree {
  readonly feature: Int32Array;
  /** A row goes left when its value is below the threshold (XGBoost's `x < t`, ONNX BRANCH_LT). */
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Where a missing (NaN) value goes: 1 left, 0 right. */
  readonly missingLeft: Uint8Array;
  /** The leaf's value (log-odds), 0 for an inner node. */
  readonly value: Float64Array;
  /** Training rows (or their hessian weight) through the node: what the expected values weigh by. */
  readonly cover: Float64Array;
}

/**
 * A boosted tree ensemble (XGBoost, or an ONNX TreeEnsemble node) as plain data: its margin, in
 * log-odds, is the base margin plus the value of the leaf each tree sends the row to.
 */
export interface TreeEnsemble {
  readonly trees: readonly Tree[];
  /** Added to the trees' sum: the margin of an empty ensemble. */
  readonly baseMargin: number;
  /** Columns of a row, the length of the feature vector the ensemble was trained on. */
  readonly features: number;
}

function leafOf(tree: Tree, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node]! >= 0) {
    const x = row[tree.feature[node]!]!;
    node = Number.isNaN(x) ? (tree.missingLeft[node] === 1 ? tree.left[node]! : tree.right[node]!) : x < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

/** The ensemble's margin (log-odds) for a row. */
export function margin(ensemble: TreeEnsemble, row: ArrayLike<number>): number {
  let sum = ensemble.baseMargin;
  for (const tree of ensemble.trees) sum += tree.value[leafOf(tree, row)]!;
  return sum;
}

/** The margin of the average row: each tree's leaves weighted by cover, plus the base margin. */
export function expectedMargin(ensemble: TreeEnsemble): number {
  let sum = ensemble.baseMargin;
  for (const tree of ensemble.trees) sum += expectedValue(tree, 0);
  return sum;
}

function expectedValue(tree: Tree, node: number): number {
  if (tree.left[node]! < 0) return tree.value[node]!;
  const left = tree.left[node]!;
  const right = tree.right[node]!;
  const cover = tree.cover[node]!;
  return (tree.cover[left]! * expectedValue(tree, left) + tree.cover[right]! * expectedValue(tree, right)) / cover;
}

/** The path of unique features down to the node being visited, with their zero and one fractions and weights. */
class Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;

  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

/**
 * Feature contributions to a row's margin, two ways; both add up, with `expectedMargin`, to the margin.
 * `shap` is exact Tree SHAP, which visits every node of every tree (about a millisecond a row for 150
 * trees of depth 4); `path` follows the row's own path and credits each split's feature with the
 * change in the expected value it makes (Saabas's method: a hundred times cheaper, and exact for a
 * feature that splits once per path, but it overweighs splits near the leaves).
 */
export class TreeExplainer {
  readonly #ensemble: TreeEnsemble;
  /** SHAP's path buffers, sized once for the deepest tree: one per recursion level, as tree_shap.h slices one array. */
  readonly #paths: Path[];
  /** Per tree and node, how much reaching the node changes the tree's expected value from its parent's. */
  readonly #delta: Float64Array[];

  constructor(ensemble: TreeEnsemble) {
    this.#ensemble = ensemble;
    const depth = Math.max(0, ...ensemble.trees.map((tree) => maxDepth(tree, 0))) + 2;
    this.#paths = Array.from({ length: depth + 1 }, () => new Path(depth + 1));
    this.#delta = ensemble.trees.map((tree) => {
      const expected = new Float64Array(tree.left.length);
      for (let node = 0; node < tree.left.length; node++) expected[node] = expectedValue(tree, node);
      const delta = new Float64Array(tree.left.length);
      for (let node = 0; node < tree.left.length; node++) {
        if (tree.left[node]! < 0) continue;
        delta[tree.left[node]!] = expected[tree.left[node]!]! - expected[node]!;
        delta[tree.right[node]!] = expected[tree.right[node]!]! - expected[node]!;
      }
      return delta;
    });
  }

  /** Adds the row's exact SHAP values into `phi` (one entry per feature). */
  shap(row: ArrayLike<number>, phi: Float64Array): void {
    for (const tree of this.#ensemble.trees) recurse(tree, row, phi, 0, this.#paths, 0, 0, 1, 1, -1);
  }

  /** Adds the row's path contributions into `phi`. */
  path(row: ArrayLike<number>, phi: Float64Array): void {
    const trees = this.#ensemble.trees;
    for (let t = 0; t < trees.length; t++) {
      const { left, right, feature, threshold, missingLeft } = trees[t]!;
      const delta = this.#delta[t]!;
      let node = 0;
      while (left[node]! >= 0) {
        const f = feature[node]!;
        const x = row[f]!;
        // x !== x: NaN, a missing value.
        const next = x !== x ? (missingLeft[node] === 1 ? left[node]! : right[node]!) : x < threshold[node]! ? left[node]! : right[node]!;
        phi[f]! += delta[next]!;
        node = next;
      }
    }
  }
}

function maxDepth(tree: Tree, node: number): number {
  return tree.left[node]! < 0 ? 0 : 1 + Math.max(maxDepth(tree, tree.left[node]!), maxDepth(tree, tree.right[node]!));
}

function recurse(
  tree: Tree,
  row: ArrayLike<number>,
  phi: Float64Array,
  node: number,
  paths: Path[],
  level: number,
  length: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const path = paths[level]!;
  if (level > 0) copyPath(paths[level - 1]!, path, length);
  extend(path, length, zeroFraction, oneFraction, feature);
  const unique = length + 1;
  if (tree.left[node]! < 0) {
    for (let i = 1; i < unique; i++) {
      const w = unwoundSum(path, unique - 1, i);
      phi[path.feature[i]!]! += w * (path.one[i]! - path.zero[i]!) * tree.value[node]!;
    }
    return;
  }
  const split = tree.feature[node]!;
  const x = row[split]!;
  const goesLeft = Number.isNaN(x) ? tree.missingLeft[node] === 1 : x < tree.threshold[node]!;
  const hot = goesLeft ? tree.left[node]! : tree.right[node]!;
  const cold = goesLeft ? tree.right[node]! : tree.left[node]!;
  const cover = tree.cover[node]!;
  let incomingZero = 1;
  let incomingOne = 1;
  let pathLength = unique;
  // A feature already on the path: its earlier split is undone, and its fractions carry on.
  let k = 1;
  while (k < unique && path.feature[k] !== split) k++;
  if (k < unique) {
    incomingZero = path.zero[k]!;
    incomingOne = path.one[k]!;
    unwind(path, unique - 1, k);
    pathLength--;
  }
  recurse(tree, row, phi, hot, paths, level + 1, pathLength, (incomingZero * tree.cover[hot]!) / cover, incomingOne, split);
  recurse(tree, row, phi, cold, paths, level + 1, pathLength, (incomingZero * tree.cover[cold]!) / cover, 0, split);
}

// Loops, not subarray().set(): a path is a handful of entries, and a view per copy costs more than the copy.
function copyPath(from: Path, to: Path, length: number): void {
  for (let i = 0; i < length; i++) {
    to.feature[i] = from.feature[i]!;
    to.zero[i] = from.zero[i]!;
    to.one[i] = from.one[i]!;
    to.weight[i] = from.weight[i]!;
  }
}

/**
 * 1 / k for the small integers the path weights are scaled by. Tree SHAP divides by them at every node
 * and leaf, and those divisions, not the walk, were what an explanation cost: multiplying by a
 * reciprocal is several times cheaper.
 */
const RECIPROCAL = Float64Array.from({ length: 130 }, (_, k) => (k === 0 ? Infinity : 1 / k));

function extend(path: Path, length: number, zeroFraction: number, oneFraction: number, feature: number): void {
  path.feature[length] = feature;
  path.zero[length] = zeroFraction;
  path.one[length] = oneFraction;
  path.weight[length] = length === 0 ? 1 : 0;
  const scale = RECIPROCAL[length + 1]!;
  for (let i = length - 1; i >= 0; i--) {
    path.weight[i + 1]! += oneFraction * path.weight[i]! * (i + 1) * scale;
    path.weight[i] = zeroFraction * path.weight[i]! * (length - i) * scale;
  }
}

function unwind(path: Path, length: number, index: number): void {
  const one = path.one[index]!;
  const zero = path.zero[index]!;
  let next = path.weight[length]!;
  const scale = RECIPROCAL[length + 1]!;
  if (one !== 0) {
    const inverseOne = 1 / one;
    for (let i = length - 1; i >= 0; i--) {
      const previous = path.weight[i]!;
      path.weight[i] = next * (length + 1) * RECIPROCAL[i + 1]! * inverseOne;
      next = previous - path.weight[i]! * zero * (length - i) * scale;
    }
  } else {
    const inverseZero = 1 / zero;
    for (let i = length - 1; i >= 0; i--) path.weight[i] = path.weight[i]! * (length + 1) * RECIPROCAL[length - i]! * inverseZero;
  }
  for (let i = index; i < length; i++) {
    path.feature[i] = path.feature[i + 1]!;
    path.zero[i] = path.zero[i + 1]!;
    path.one[i] = path.one[i + 1]!;
  }
}

/** The sum of the path's weights with element `index` unwound, without changing the path. */
function unwoundSum(path: Path, length: number, index: number): number {
  const one = path.one[index]!;
  const zero = path.zero[index]!;
  let total = 0;
  if (one !== 0) {
    const inverseOne = 1 / one;
    const scale = RECIPROCAL[length + 1]!;
    let next = path.weight[length]!;
    for (let i = length - 1; i >= 0; i--) {
      const w = next * (length + 1) * RECIPROCAL[i + 1]! * inverseOne;
      total += w;
      next = path.weight[i]! - w * zero * (length - i) * scale;
    }
  } else {
    const inverseZero = 1 / zero;
    for (let i = length - 1; i >= 0; i--) total += path.weight[i]! * (length + 1) * RECIPROCAL[length - i]! * inverseZero;
  }
  return total;
}
