export { type AccountActivity, FAILED_LOGIN_WINDOW_MS } from './account-activity';
export { describeFeature, type FeatureSchema, featureSchema, featureVector } from './feature-vector';
