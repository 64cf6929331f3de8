import type { Alert, RuleHit, ScoredTransaction } from '../../schemas/types';
import type { KeyedEvent, KeyedStage, StageContext, TransactionEvent } from '../job/types';
import type { StateSlotSpec } from '../state/keyed-state';
import { emptyActivity, onAuth, onPayment, onProfile } from '../features/account-activity';
import { type FeatureSchema, featureSchema, featureVector } from '../features/feature-vector';
import { accountAlert, transactionAlert } from './alerts';
import { toPatternEvent } from './pattern-event';
import { type CompletedMatch, type PatternMetrics, PatternRunner } from './pattern-runs';
import type { Evidence, Rule, RuleMatch } from './rule';
import { ruleHit } from './rule-hit';
import type { RulePack } from './rule-pack';
import { type RuleEngineState, emptyRuleState, isRuleStateEmpty, ruleStateSlot } from './rule-state';
import { type DecisionThresholds, combineScore, decide, resolveThresholds } from './scoring';

/**
 * A scored payment, with its feature vector when the stage computes features: then its score and
 * decision are the rules' alone, and its alert is left to the step that decides with the model
 * (`decidePayment`); or an alert.
 */
export type RuleEngineOutput =
  | { readonly kind: 'scored'; readonly value: ScoredTransaction; readonly vector?: Float32Array }
  | { readonly kind: 'alert'; readonly value: Alert };

/** Options of {@link ruleEngineStage}. */
export interface RuleEngineOptions {
  /** Decision thresholds, each defaulting to `DEFAULT_THRESHOLDS`'; they must satisfy 0 < review <= decline <= 1. */
  readonly thresholds?: Partial<DecisionThresholds>;
  /** Compute each payment's feature vector for a model (see cep/features); off, the rules alone decide. */
  readonly features?: boolean;
}

/** The rule engine's entries in a scored transaction's `signals`, beside the pipeline's `Signal`s. */
export const RuleSignal = {
  /**
   * The transaction arrived behind the watermark: feature rules judged it, but pattern rules
   * did not see it, because an NFA must consume events in event-time order. It is not part of
   * any later match either.
   */
  LatePatternSkipped: 'late-pattern-skipped',
} as const;

/** `features.extra` name of the event time since the account's previous transaction (absent for its first). */
export const MS_SINCE_PREVIOUS_TRANSACTION = 'msSincePreviousTransaction';

const NO_MATCH: RuleMatch = Object.freeze({});
const NO_EVIDENCE: Evidence = Object.freeze({});
const NOTHING_COMPLETED: readonly CompletedMatch[] = Object.freeze([]);

/**
 * The keyed stage that runs a rule pack. Per transaction it emits exactly one scored record
 * (hits in pack order, noisy-OR score, decision) and, for REVIEW or DECLINE, an alert. A pattern
 * completed by an auth event, a profile change or a closing window emits an account-level alert.
 * Outputs are a function of the events and timers alone: no clock, no randomness, and every
 * iteration follows the pack order or the processing order.
 */
export class RuleEngineStage implements KeyedStage<RuleEngineOutput, RuleEngineState> {
  readonly state: StateSlotSpec<RuleEngineState>;
  readonly #pack: RulePack;
  readonly #thresholds: DecisionThresholds;
  readonly #patterns: PatternRunner;
  /** Null when the stage computes no feature vectors. */
  readonly features: FeatureSchema | null;

  constructor(pack: RulePack, options: RuleEngineOptions = {}) {
    this.#pack = pack;
    this.#thresholds = resolveThresholds(options.thresholds);
    this.#patterns = new PatternRunner(pack.rules);
    this.features = options.features === true ? featureSchema(pack.rules.map((rule) => rule.id)) : null;
    this.state = ruleStateSlot(pack.rules, this.#patterns, this.features !== null);
  }

  /** Partial matches held by this stage object's keys: for benchmarks and metrics, not restored state accounting. */
  get metrics(): PatternMetrics {
    return this.#patterns.metrics;
  }

  onEvent(event: KeyedEvent, context: StageContext<RuleEngineOutput, RuleEngineState>): void {
    const state = context.state ?? emptyRuleState(this.features !== null);
    if (this.features !== null) state.activity ??= emptyActivity();
    let since: number | null = null;
    if (event.kind === 'transaction') {
      const previous = state.lastTransactionTime;
      if (previous !== null && previous <= event.eventTime) since = event.eventTime - previous;
      if (previous === null || previous < event.eventTime) state.lastTransactionTime = event.eventTime;
      // `extra` is this event's own object, made for the features rules compute; `when` and the scored record read it there.
      if (since !== null) event.features.extra[MS_SINCE_PREVIOUS_TRANSACTION] = since;
    }
    let completed = NOTHING_COMPLETED;
    if (!event.late) {
      const runs = state.runs;
      completed = this.#patterns.process(state, toPatternEvent(event, since));
      // The timer is at or before every window end, and a step moves no run's end earlier: a run
      // that takes the event ends no earlier than its matcher's older runs, which ended no earlier
      // than the timer (or have closed by now). Only a new run (a new runs array) can end before
      // it, and a key without a known timer (restored) must look at all of its runs.
      if (state.runs !== runs || state.wakeAt === Infinity) this.#armTimer(state, context);
    }
    if (event.kind === 'transaction') this.#score(event, completed, context, since, state);
    else if (state.activity !== null && event.kind === 'auth') onAuth(state.activity, event.value);
    else if (state.activity !== null && event.kind === 'profile') onProfile(state.activity, event.value, event.previous);
    this.#alertAccountLevel(completed, context, event.eventTime, event.kind === 'transaction');
    context.setState(isRuleStateEmpty(state) ? undefined : state);
  }

  onTimer(time: number, context: StageContext<RuleEngineOutput, RuleEngineState>): void {
    const state = context.state;
    if (state === undefined) return;
    this.#alertAccountLevel(this.#patterns.advance(state, time), context, time, false);
    // This timer may be one of several (a restored key keeps its old ones): arm the next one afresh.
    state.wakeAt = Infinity;
    this.#armTimer(state, context);
    context.setState(isRuleStateEmpty(state) ? undefined : state);
  }

  /**
   * One timer per key, at its runs' earliest window end, so that the watermark prunes an idle
   * key's runs: advancing them any earlier would change nothing, and the timer that fires then
   * arms the next one.
   */
  #armTimer(state: RuleEngineState, context: StageContext<RuleEngineOutput, RuleEngineState>): void {
    const next = this.#patterns.nextWindowEnd(state.runs);
    if (next >= state.wakeAt) return;
    context.registerTimer(next);
    state.wakeAt = next;
  }

  #score(event: TransactionEvent, completed: readonly CompletedMatch[], context: StageContext<RuleEngineOutput, RuleEngineState>, since: number | null, state: RuleEngineState): void {
    const tx = event.value;
    const hits: RuleHit[] = [];
    const rules = this.#pack.rules;
    // Indexed, as every loop over a frozen array here: for-of over one (the pack's rules, NO_MATCHES)
    // allocates an iterator result per step even in optimised code, for every event.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      let match = NO_MATCH;
      if (rule.pattern !== null || rule.pairs !== null) {
        const found = completedOn(completed, rule);
        if (found === null) continue;
        match = found;
      }
      const evidence = rule.when === null ? NO_EVIDENCE : rule.when(event, match);
      if (evidence === null) continue;
      hits.push(ruleHit(rule, evidence, match, tx));
    }
    const score = combineScore(hits);
    const scored: ScoredTransaction = {
      transaction: tx,
      profile: event.profile,
      features: event.features,
      ruleHits: hits,
      signals: event.late && this.#patterns.hasPatterns ? [...event.signals, RuleSignal.LatePatternSkipped] : event.signals,
      score,
      decision: decide(score, this.#thresholds),
      late: event.late,
      watermark: event.watermark,
      model: null,
    };
    if (this.features !== null && state.activity !== null) {
      const vector = featureVector(this.features, event, state.activity, hits, since);
      onPayment(state.activity, tx);
      context.emit({ kind: 'scored', value: scored, vector });
      return;
    }
    context.emit({ kind: 'scored', value: scored });
    if (scored.decision !== 'APPROVE') context.emit({ kind: 'alert', value: transactionAlert(scored) });
  }

  /**
   * Matches not completed by a transaction being scored. A rule with a `when` condition judges
   * the transaction that completes its match, so it has nothing to judge here.
   */
  #alertAccountLevel(
    completed: readonly CompletedMatch[],
    context: StageContext<RuleEngineOutput, RuleEngineState>,
    eventTime: number,
    scoredCurrentEvent: boolean,
  ): void {
    for (let i = 0; i < completed.length; i++) {
      const { rule, match, onCurrentEvent } = completed[i]!;
      if (rule.when !== null || (onCurrentEvent && scoredCurrentEvent)) continue;
      const hit = ruleHit(rule, NO_EVIDENCE, match, null);
      context.emit({ kind: 'alert', value: accountAlert(context.key, hit, match, this.#thresholds, eventTime) });
    }
  }
}

/** Several runs may complete on one transaction; the rule fires once, with the first in emission order. */
function completedOn(completed: readonly CompletedMatch[], rule: Rule): RuleMatch | null {
  for (let i = 0; i < completed.length; i++) {
    const c = completed[i]!;
    if (c.rule === rule && c.onCurrentEvent) return c.match;
  }
  return null;
}

/**
 * The keyed stage that runs `pack` on every account's events: give it to `defineJob` as `stage`.
 * Throws a `CepError` with code `INVALID_JOB_CONFIG` for invalid thresholds.
 */
export function ruleEngineStage(pack: RulePack, options: RuleEngineOptions = {}): RuleEngineStage {
  return new RuleEngineStage(pack, options);
}
