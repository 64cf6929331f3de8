import { compile } from '../compiler';
import type { PatternDefinition } from '../pattern';
import { CepError, CepErrorCode } from '../errors';
import { LoopMatcher, type LoopSnapshot, loopShapeOf } from './loop-matcher';
import { Nfa, type NfaOutput } from './nfa';
import { SequenceMatcher, type SequenceSnapshot, sequenceShapeOf } from './sequence-matcher';
import type { NfaSnapshot } from './snapshot';
import { TimesMatcher, type TimesSnapshot, timesShapeOf } from './times-matcher';

/**
 * The pattern-matching state of one key, whatever does the matching: the general NFA, or a
 * dedicated matcher for a common pattern shape that gives the same outputs with less state.
 */
export interface Matcher<E> {
  /** As `Nfa.process`: closes the windows that ended by `timestamp`, then takes the event. */
  process(event: E, timestamp: number): NfaOutput<E>;
  advanceTime(watermark: number): NfaOutput<E>;
  /** As `Nfa.partialMatches`, counted the same way, so metrics do not depend on the matcher. */
  readonly partialMatches: number;
  readonly nextWindowEnd: number;
  toSnapshot(): MatcherSnapshot<E>;
}

export type MatcherSnapshot<E> = NfaSnapshot<E> | TimesSnapshot<E> | SequenceSnapshot<E> | LoopSnapshot<E>;

/** Makes and restores the matchers of one pattern, shared by every key. */
export interface MatcherFactory<E> {
  create(): Matcher<E>;
  /**
   * The matcher a snapshot holds. An NFA snapshot restores as an NFA even where a dedicated
   * matcher exists now: its runs go on as they were. Throws INVALID_SNAPSHOT for another pattern's.
   */
  restore(snapshot: MatcherSnapshot<E>): Matcher<E>;
}

/** The dedicated matcher when the pattern has its shape, the general NFA otherwise. Timeouts are not reported. */
export function matcherFactory<E>(definition: PatternDefinition<E>): MatcherFactory<E> {
  const automaton = compile(definition);
  const times = timesShapeOf(definition);
  const sequence = sequenceShapeOf(definition);
  const loop = loopShapeOf(definition);
  return {
    create() {
      if (times !== null) return new TimesMatcher(times);
      if (sequence !== null) return new SequenceMatcher(sequence);
      return loop !== null ? new LoopMatcher(loop) : Nfa.create(automaton);
    },
    restore(snapshot) {
      switch (snapshot.format) {
        case 'loop':
          if (loop === null) throw otherShape(snapshot.format);
          return LoopMatcher.fromSnapshot(loop, snapshot);
        case 'times':
          if (times === null) throw otherShape(snapshot.format);
          return TimesMatcher.fromSnapshot(times, snapshot);
        case 'sequence':
          if (sequence === null) throw otherShape(snapshot.format);
          return SequenceMatcher.fromSnapshot(sequence, snapshot);
        default:
          // The NFA checks the format: anything else is not a matcher snapshot at all.
          return Nfa.fromSnapshot(automaton, snapshot);
      }
    },
  };
}

function otherShape(format: string): CepError {
  return new CepError(CepErrorCode.InvalidSnapshot, `A ${format} snapshot for a pattern of another shape`);
}
