import { CepError, CepErrorCode } from '../errors';
import type { AfterMatchSkipStrategy, SkipToStageStrategy } from '../pattern';
import type { BufferedMatch } from './shared-buffer';

/**
 * The runtime side of an after-match skip strategy: which runs an emitted match discards.
 * A run is discarded when its first event id compares to the match's pruning id as the
 * strategy says (FlinkCEP's AfterMatchSkipStrategy.prune).
 */
export interface SkipPruner {
  /** Null means "discard nothing" for this match. */
  pruningId(match: BufferedMatch<unknown>): number | null;
  shouldPrune(startEventId: number, pruningId: number): boolean;
}

const atOrBefore = (start: number, pruningId: number): boolean => start <= pruningId;
const before = (start: number, pruningId: number): boolean => start < pruningId;

const skipToNext: SkipPruner = {
  pruningId: (match) => Math.min(...allIds(match)),
  shouldPrune: atOrBefore,
};

const skipPastLastEvent: SkipPruner = {
  pruningId: (match) => Math.max(...allIds(match)),
  shouldPrune: atOrBefore,
};

function skipToStage(strategy: SkipToStageStrategy): SkipPruner {
  return {
    pruningId(match) {
      const events = match.get(strategy.stage);
      if (events === undefined || events.length === 0) {
        if (!strategy.throwOnMiss) return null;
        throw new CepError(
          CepErrorCode.SkipTargetMissing,
          `${strategy.kind}('${strategy.stage}'): the match has no event for stage '${strategy.stage}'`,
          { context: { stage: strategy.stage } },
        );
      }
      return strategy.kind === 'skipToFirst' ? events[0]!.id : events[events.length - 1]!.id;
    },
    shouldPrune: before,
  };
}

/** Null for noSkip, which never discards and never holds matches back. */
export function skipPrunerFor(strategy: AfterMatchSkipStrategy): SkipPruner | null {
  switch (strategy.kind) {
    case 'noSkip':
      return null;
    case 'skipToNext':
      return skipToNext;
    case 'skipPastLastEvent':
      return skipPastLastEvent;
    case 'skipToFirst':
    case 'skipToLast':
      return skipToStage(strategy);
  }
}

function allIds(match: BufferedMatch<unknown>): number[] {
  return [...match.values()].flat().map((event) => event.id);
}
