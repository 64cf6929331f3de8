import { CepError, CepErrorCode, isCepError } from '../errors';
import { Nfa, type NfaSnapshot } from '../nfa';
import type { StateSlotSpec } from '../state/keyed-state';
import type { PatternEvent } from './pattern-event';
import { type PatternRunner, type PatternRuns, patternRun } from './pattern-runs';
import type { Rule, RulePattern } from './rule';

/** The rule engine's state of one account. */
export interface RuleEngineState {
  /**
   * Event time of the account's newest transaction, for dormancy: velocity state only spans its
   * look-back, this spans the account's life. Null before the first transaction.
   */
  lastTransactionTime: number | null;
  readonly runs: PatternRuns;
}

export function emptyRuleState(): RuleEngineState {
  return { lastTransactionTime: null, runs: new Map() };
}

export function isRuleStateEmpty(state: RuleEngineState): boolean {
  return state.lastTransactionTime === null && state.runs.size === 0;
}

/**
 * The slot and its codec: the last transaction time, then each live run as its run key and its
 * NFA snapshot as JSON (events are stored once per snapshot, and pattern events are plain data).
 * A run whose rule left the pack, or whose pattern changed shape, is not restored: its partial
 * matches cannot continue under the new definition, so that rule starts afresh for the key.
 */
export function ruleStateSlot(rules: readonly Rule[], runner: PatternRunner): StateSlotSpec<RuleEngineState> {
  const patterns = new Map<string, Rule & { readonly pattern: RulePattern }>();
  for (const rule of rules) if (rule.pattern !== null) patterns.set(rule.id, rule as Rule & { readonly pattern: RulePattern });
  return {
    name: 'rules.engine',
    isEmpty: isRuleStateEmpty,
    codec: {
      version: 1,
      encode(state, out) {
        out.bool(state.lastTransactionTime !== null);
        if (state.lastTransactionTime !== null) out.varint(state.lastTransactionTime);
        out.uvarint(state.runs.size);
        for (const [key, run] of state.runs) out.string(key).string(JSON.stringify(run.nfa.toSnapshot()));
      },
      decode(input, version) {
        if (version !== 1) throw new CepError(CepErrorCode.CorruptState, `unknown rule engine state version ${version}`);
        const state = emptyRuleState();
        if (input.bool()) state.lastTransactionTime = input.varint();
        for (let count = input.uvarint(); count > 0; count--) {
          const key = input.string();
          const snapshot = parseSnapshot(input.string());
          const rule = patterns.get(key.split('@', 1)[0]!);
          if (rule === undefined) continue;
          try {
            const run = patternRun(rule, Nfa.fromSnapshot(rule.pattern.automaton, snapshot));
            state.runs.set(key, run);
            runner.adopt(run);
          } catch (error) {
            if (!isCepError(error, CepErrorCode.InvalidSnapshot)) throw error;
          }
        }
        return state;
      },
    },
  };
}

function parseSnapshot(json: string): NfaSnapshot<PatternEvent> {
  try {
    return JSON.parse(json) as NfaSnapshot<PatternEvent>;
  } catch (cause) {
    throw new CepError(CepErrorCode.CorruptState, 'rule engine state holds a malformed NFA snapshot', { cause });
  }
}
