export { type Decided, type Explanation, type ModelIdentity, type ModelVerdict, MODEL_SCORE_INVALID, decidePayment } from './decide';
export { type Tree, type TreeEnsemble, TreeExplainer, expectedMargin, margin } from './tree-ensemble';
