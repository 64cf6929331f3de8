import fc from 'fast-check';
import { type Tree, type TreeEnsemble, TreeExplainer, expectedMargin, margin } from './tree-ensemble';

const FEATURES = 4;

/** A random tree of depth at most `depth` over FEATURES features, with covers that add up as training's would. */
function randomTree(random: () => number, depth: number): Tree {
  const nodes: { feature: number; threshold: number; left: number; right: number; missingLeft: number; value: number; cover: number }[] = [];
  const grow = (level: number, cover: number): number => {
    const id = nodes.length;
    nodes.push({ feature: 0, threshold: 0, left: -1, right: -1, missingLeft: 0, value: 0, cover });
    if (level === depth || (level > 0 && random() < 0.25)) {
      nodes[id]!.value = Math.round((random() * 4 - 2) * 1000) / 1000;
      return id;
    }
    const share = 0.1 + random() * 0.8;
    Object.assign(nodes[id]!, { feature: Math.floor(random() * FEATURES), threshold: Math.round(random() * 10) / 2, missingLeft: random() < 0.5 ? 1 : 0 });
    nodes[id]!.left = grow(level + 1, cover * share);
    nodes[id]!.right = grow(level + 1, cover * (1 - share));
    return id;
  };
  grow(0, 100);
  return {
    feature: Int32Array.from(nodes, (n) => n.feature),
    threshold: Float32Array.from(nodes, (n) => n.threshold),
    left: Int32Array.from(nodes, (n) => n.left),
    right: Int32Array.from(nodes, (n) => n.right),
    missingLeft: Uint8Array.from(nodes, (n) => n.missingLeft),
    value: Float64Array.from(nodes, (n) => n.value),
    cover: Float64Array.from(nodes, (n) => n.cover),
  };
}

/** E[f(x) | x_S]: features in S follow the row, the others both ways weighed by cover (the definition Tree SHAP computes). */
function conditional(tree: Tree, row: readonly number[], known: ReadonlySet<number>, node = 0): number {
  if (tree.left[node]! < 0) return tree.value[node]!;
  const left = tree.left[node]!;
  const right = tree.right[node]!;
  const feature = tree.feature[node]!;
  if (known.has(feature)) {
    const x = row[feature]!;
    const goesLeft = Number.isNaN(x) ? tree.missingLeft[node] === 1 : x < tree.threshold[node]!;
    return conditional(tree, row, known, goesLeft ? left : right);
  }
  return (tree.cover[left]! * conditional(tree, row, known, left) + tree.cover[right]! * conditional(tree, row, known, right)) / tree.cover[node]!;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Shapley values by enumerating every coalition: exponential, and the definition itself. */
function bruteForceShapley(ensemble: TreeEnsemble, row: readonly number[]): number[] {
  const phi = new Array<number>(FEATURES).fill(0);
  for (let feature = 0; feature < FEATURES; feature++) {
    const others = [...Array(FEATURES).keys()].filter((f) => f !== feature);
    for (let mask = 0; mask < 1 << others.length; mask++) {
      const coalition = new Set(others.filter((_, i) => mask & (1 << i)));
      const weight = (factorial(coalition.size) * factorial(FEATURES - coalition.size - 1)) / factorial(FEATURES);
      for (const tree of ensemble.trees) phi[feature]! += weight * (conditional(tree, row, new Set([...coalition, feature])) - conditional(tree, row, coalition));
    }
  }
  return phi;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rowArbitrary = fc.array(fc.oneof(fc.constant(Number.NaN), fc.integer({ min: 0, max: 10 }).map((v) => v / 2 - 0.25)), { minLength: FEATURES, maxLength: FEATURES });

describe('Tree SHAP', () => {
  it('equals the Shapley values enumerated over every coalition, for random trees and rows (missing values too)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 5 }), rowArbitrary, (seed, depth, row) => {
        const random = mulberry32(seed);
        const ensemble: TreeEnsemble = { trees: [randomTree(random, depth), randomTree(random, 3)], baseMargin: 0.3, features: FEATURES };
        const phi = new Float64Array(FEATURES);
        new TreeExplainer(ensemble).shap(row, phi);
        const expected = bruteForceShapley(ensemble, row);
        for (let f = 0; f < FEATURES; f++) expect(phi[f]).toBeCloseTo(expected[f]!, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('adds up, with the expected margin, to the margin; and so do the path contributions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), rowArbitrary, (seed, row) => {
        const random = mulberry32(seed);
        const ensemble: TreeEnsemble = { trees: Array.from({ length: 5 }, () => randomTree(random, 4)), baseMargin: -1.5, features: FEATURES };
        const explainer = new TreeExplainer(ensemble);
        const shap = new Float64Array(FEATURES);
        const path = new Float64Array(FEATURES);
        explainer.shap(row, shap);
        explainer.path(row, path);
        const sum = (phi: Float64Array) => phi.reduce((a, b) => a + b, 0);
        expect(expectedMargin(ensemble) + sum(shap)).toBeCloseTo(margin(ensemble, row), 9);
        expect(expectedMargin(ensemble) + sum(path)).toBeCloseTo(margin(ensemble, row), 9);
      }),
      { numRuns: 200 },
    );
  });

  it('gives a feature no tree splits on nothing, and credits the one feature a stump splits on with its whole effect', () => {
    const stump: Tree = {
      feature: Int32Array.of(2, 0, 0),
      threshold: Float32Array.of(1, 0, 0),
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      missingLeft: Uint8Array.of(1, 0, 0),
      value: Float64Array.of(0, -1, 3),
      cover: Float64Array.of(4, 3, 1),
    };
    const ensemble: TreeEnsemble = { trees: [stump], baseMargin: 0, features: FEATURES };
    const phi = new Float64Array(FEATURES);
    new TreeExplainer(ensemble).shap([9, 9, 5, 9], phi);
    // E[f] = (3 * -1 + 1 * 3) / 4 = 0; the row goes right, to 3.
    expect([...phi]).toEqual([0, 0, 3, 0]);
  });
});
