import { MalformedPatternError, type PatternDefinition, type StageDefinition } from '../pattern';

/**
 * Checks that need the whole sequence; the builder already rejected everything that can be
 * seen from one stage.
 */
export function validatePattern<E>(pattern: PatternDefinition<E>): void {
  const last = pattern.stages[pattern.stages.length - 1]!;
  if (last.quantifier.consuming === 'notFollow' && pattern.withinMs === null && last.previousWithinMs === null) {
    throw new MalformedPatternError(
      `notFollowedBy('${last.name}') as the last stage needs within(): without a window the absence never ends`,
      { stage: last.name },
    );
  }
  for (const stage of [...eventStages(pattern.stages), ...groups(pattern.stages)]) {
    if (stage.previousWithinMs === null) continue;
    // FlinkCEP ignores such a window on a quantified stage or a group; refusing it says so where it is written.
    if (stage.group !== null || stage.quantifier.kind !== 'single') {
      throw new MalformedPatternError(`Stage '${stage.name}': within(ms, WithinType.PREVIOUS_AND_CURRENT) applies to a stage of one event, not to a quantified stage or a group`, {
        stage: stage.name,
      });
    }
    if (pattern.withinMs !== null && stage.previousWithinMs > pattern.withinMs) {
      throw new MalformedPatternError(
        `Stage '${stage.name}': the window between the previous and the current event (${stage.previousWithinMs} ms) cannot be longer than the window of the whole pattern (${pattern.withinMs} ms)`,
        { stage: stage.name },
      );
    }
  }
  const skip = pattern.skipStrategy;
  if ((skip.kind === 'skipToFirst' || skip.kind === 'skipToLast') && !eventStages(pattern.stages).some((s) => s.name === skip.stage)) {
    throw new MalformedPatternError(`${skip.kind}('${skip.stage}'): the pattern has no stage named '${skip.stage}'`, {
      stage: skip.stage,
    });
  }
  for (const stage of [...eventStages(pattern.stages), ...groups(pattern.stages)]) {
    const windowMs = stage.quantifier.windowMs;
    if (windowMs === null) continue;
    if (stage.group !== null) {
      throw new MalformedPatternError(`Group ${stage.name}: a window between a group's repetitions is not supported; bound its stages instead`, { stage: stage.name });
    }
    if (pattern.withinMs !== null && windowMs > pattern.withinMs) {
      throw new MalformedPatternError(
        `Stage '${stage.name}': the window between the stage's events (${windowMs} ms) cannot be longer than the window of the whole pattern (${pattern.withinMs} ms)`,
        { stage: stage.name },
      );
    }
  }
  for (const group of groups(pattern.stages)) {
    // Its repetitions would proceed from the group's end back to its start and on, for ever, without an event.
    if (group.quantifier.kind === 'looping' && group.group!.every((stage) => stage.quantifier.optional)) {
      throw new MalformedPatternError(`Group ${group.name}: a looping group needs a stage that is not optional`, { stage: group.name });
    }
  }
}

/** The stages that accept events, a group's in its place, in sequence order. */
export function eventStages<E>(stages: readonly StageDefinition<E>[]): StageDefinition<E>[] {
  return stages.flatMap((stage) => (stage.group === null ? [stage] : eventStages(stage.group)));
}

function groups<E>(stages: readonly StageDefinition<E>[]): StageDefinition<E>[] {
  return stages.flatMap((stage) => (stage.group === null ? [] : [stage, ...groups(stage.group)]));
}
