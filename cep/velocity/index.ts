export { Interner } from './interner';
export {
  DEFAULT_SESSION_GAP_MS,
  DEFAULT_VELOCITY_WINDOW_MS,
  type SessionOptions,
  VELOCITY_FEATURES,
  type VelocityFeatureName,
  type VelocityOptions,
  type VelocityWindows,
  velocityWindows,
} from './options';
export { SessionOperator, type SessionOperatorOptions } from './session-operator';
export { VelocityOperator, type VelocityOperatorOptions } from './velocity-operator';
export type { TransactionVelocity } from './velocity-calculator';
