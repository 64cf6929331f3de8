export { type Condition, type ConditionContext, type IterativeCondition, iterative, type SimpleCondition, type StageCondition } from './condition';
export { MalformedPatternError } from './malformed-pattern-error';
export { Pattern, type PatternDefinition, type StageDefinition, WithinType } from './pattern';
export {
  isNegation,
  type ConsumingStrategy,
  type InnerConsumingStrategy,
  type QuantifierKind,
  type QuantifierSpec,
} from './quantifier';
export { AfterMatchSkip, type AfterMatchSkipStrategy, type SkipToStageStrategy } from './skip-strategy';
