import { CepError, CepErrorCode, isCepError } from '../errors';
import type { MatcherSnapshot } from '../nfa';
import type { StateSlotSpec } from '../state/keyed-state';
import { type AccountActivity, decodeActivity, emptyActivity, encodeActivity, isActivityEmpty } from '../features/account-activity';
import type { PatternEvent } from './pattern-event';
import { type PairRule, type PatternRule, type PatternRun, type PatternRunner, type PatternRuns, isMatcherRun, matcherRun, parseRunKey, runKey } from './pattern-runs';
import type { Rule } from './rule';

/** A pairs rule's run in a snapshot; matcher snapshots have formats of their own, so the two never mix. */
interface PairSnapshot {
  readonly format: 'pair';
  readonly last: PatternEvent;
}

/** The rule engine's state of one account. */
export interface RuleEngineState {
  /**
   * Event time of the account's newest transaction, for dormancy: velocity state only spans its
   * look-back, this spans the account's life. Null before the first transaction.
   */
  lastTransactionTime: number | null;
  runs: PatternRuns;
  /** The account's logins, credential changes and payment sizes, for the feature vector; null when the stage computes none. */
  activity: AccountActivity | null;
  /**
   * The key's earliest timer for its runs, at or before every run's window end; Infinity when none
   * is known. Not stored: a restored key still has its timers, and the next one to fire sets it.
   */
  wakeAt: number;
}

export function emptyRuleState(withActivity: boolean): RuleEngineState {
  return { lastTransactionTime: null, runs: [], activity: withActivity ? emptyActivity() : null, wakeAt: Infinity };
}

export function isRuleStateEmpty(state: RuleEngineState): boolean {
  return state.lastTransactionTime === null && state.runs.length === 0 && (state.activity === null || isActivityEmpty(state.activity));
}

/**
 * The slot and its codec: the last transaction time, then each live run as its run key and, as
 * JSON, its matcher snapshot (events are stored once per snapshot, and pattern events are plain data)
 * or a pairs rule's newest event. A run whose rule left the pack, or whose pattern changed shape
 * (or became pairs, or the reverse), is not restored: its partial matches cannot continue under
 * the new definition, so that rule starts afresh for the key.
 */
export function ruleStateSlot(rules: readonly Rule[], runner: PatternRunner, withActivity: boolean): StateSlotSpec<RuleEngineState> {
  const patterns = new Map<string, PatternRule | PairRule>();
  for (const rule of rules) if (rule.pattern !== null || rule.pairs !== null) patterns.set(rule.id, rule as PatternRule | PairRule);
  return {
    name: 'rules.engine',
    isEmpty: isRuleStateEmpty,
    codec: {
      // 2 added the account's activity; a key of version 1 starts with none.
      version: 2,
      encode(state, out) {
        out.bool(state.lastTransactionTime !== null);
        if (state.lastTransactionTime !== null) out.varint(state.lastTransactionTime);
        out.uvarint(state.runs.length);
        for (const run of state.runs) out.string(runKey(run)).string(JSON.stringify(isMatcherRun(run) ? run.matcher.toSnapshot() : pairSnapshot(run.last)));
        out.bool(state.activity !== null);
        if (state.activity !== null) encodeActivity(state.activity, out);
      },
      decode(input, version) {
        if (version !== 1 && version !== 2) throw new CepError(CepErrorCode.CorruptState, `unknown rule engine state version ${version}`);
        const state = emptyRuleState(withActivity);
        if (input.bool()) state.lastTransactionTime = input.varint();
        for (let count = input.uvarint(); count > 0; count--) {
          const { ruleId, cardId } = parseRunKey(input.string());
          const snapshot = parseSnapshot(input.string());
          const rule = patterns.get(ruleId);
          // A rule keyed differently now (account or card) could not find the run.
          if (rule === undefined || (rule.key === 'card') !== (cardId !== null)) continue;
          const run = restoreRun(rule, cardId, snapshot);
          if (run === null) continue;
          state.runs.push(run);
          runner.adopt(run);
        }
        // Activity restored into a stage that computes no features is dropped, and the reverse starts empty.
        const activity = version >= 2 && input.bool() ? decodeActivity(input) : null;
        if (withActivity && activity !== null) state.activity = activity;
        return state;
      },
    },
  };
}

function pairSnapshot(last: PatternEvent): PairSnapshot {
  return { format: 'pair', last };
}

/** Null when the snapshot is of the other kind of rule, or of another shape of the pattern. */
function restoreRun(rule: PatternRule | PairRule, cardId: string | null, snapshot: MatcherSnapshot<PatternEvent> | PairSnapshot): PatternRun | null {
  if (rule.pairs !== null) return snapshot.format === 'pair' ? { rule: rule as PairRule, cardId, last: snapshot.last } : null;
  try {
    const patternRule = rule as PatternRule;
    return matcherRun(patternRule, cardId, patternRule.pattern.matchers.restore(snapshot as MatcherSnapshot<PatternEvent>));
  } catch (error) {
    if (!isCepError(error, CepErrorCode.InvalidSnapshot)) throw error;
    return null;
  }
}

function parseSnapshot(json: string): MatcherSnapshot<PatternEvent> | PairSnapshot {
  try {
    return JSON.parse(json) as MatcherSnapshot<PatternEvent> | PairSnapshot;
  } catch (cause) {
    throw new CepError(CepErrorCode.CorruptState, 'rule engine state holds a malformed matcher snapshot', { cause });
  }
}
