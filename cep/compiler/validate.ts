import { MalformedPatternError, type PatternDefinition } from '../pattern';

/**
 * Checks that need the whole sequence; the builder already rejected everything that can be
 * seen from one stage.
 */
export function validatePattern<E>(pattern: PatternDefinition<E>): void {
  const last = pattern.stages[pattern.stages.length - 1]!;
  if (last.quantifier.consuming === 'notFollow' && pattern.withinMs === null) {
    throw new MalformedPatternError(
      `notFollowedBy('${last.name}') as the last stage needs within(): without a window the absence never ends`,
      { stage: last.name },
    );
  }
  const skip = pattern.skipStrategy;
  if ((skip.kind === 'skipToFirst' || skip.kind === 'skipToLast') && !pattern.stages.some((s) => s.name === skip.stage)) {
    throw new MalformedPatternError(`${skip.kind}('${skip.stage}'): the pattern has no stage named '${skip.stage}'`, {
      stage: skip.stage,
    });
  }
}
