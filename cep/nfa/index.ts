export { CepHarness, CepHarnessBuilder, describeMatches, type TimedEvent } from './harness';
export { Nfa, type Match, type NfaMetrics, type NfaOptions, type NfaOutput, type TimedOutMatch } from './nfa';
export type { NfaSnapshot, RunSnapshot } from './snapshot';
export type { SharedBufferSnapshot } from './shared-buffer';
export { matcherFactory, type Matcher, type MatcherFactory, type MatcherSnapshot } from './matcher';
export type { LoopSnapshot } from './loop-matcher';
export type { SequenceSnapshot } from './sequence-matcher';
export type { TimesSnapshot } from './times-matcher';
