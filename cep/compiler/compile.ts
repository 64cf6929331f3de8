import { Pattern, type PatternDefinition, type StageDefinition } from '../pattern';
import { AutomatonState, type Automaton, type StateKind } from './automaton';
import { and, not, type MaybeCondition } from './boolean-conditions';
import { validatePattern } from './validate';

/** Stage name of the final state; the builder rejects it as a user stage name. */
export const FINAL_STAGE = '$end$';

/** An ignore condition; undefined means the state has no ignore edge at all (strict contiguity). */
type IgnoreCondition<E> = MaybeCondition<E> | undefined;

interface NotCondition<E> {
  readonly stage: string;
  readonly condition: MaybeCondition<E>;
}

/**
 * Compiles a pattern into an automaton once; the result is shared by every key's NFA.
 * Port of FlinkCEP's NFACompiler (without group patterns): the sequence is walked from the last
 * stage to the first, so every stage is built knowing the state it leads to.
 */
export function compile<E>(pattern: Pattern<E> | PatternDefinition<E>): Automaton<E> {
  const definition = pattern instanceof Pattern ? pattern.definition() : pattern;
  validatePattern(definition);
  return new AutomatonCompiler(definition).compile();
}

class AutomatonCompiler<E> {
  readonly #states: AutomatonState<E>[] = [];
  readonly #stateByName = new Map<string, AutomatonState<E>>();
  readonly #stopStates = new Map<string, AutomatonState<E>>();
  /** For greedy stages with `until`: the sink as it was before greedy conditions were added. */
  readonly #ungreedySinks = new Map<string, AutomatonState<E>>();
  readonly #stages: readonly StageDefinition<E>[];
  #current: number;
  #following: number | null = null;

  constructor(private readonly definition: PatternDefinition<E>) {
    this.#stages = definition.stages;
    this.#current = definition.stages.length - 1;
  }

  compile(): Automaton<E> {
    let sink = this.#createState(FINAL_STAGE, 'final');
    for (; this.#current > 0; this.#current--) {
      sink = this.#convertMiddleStage(sink);
      this.#following = this.#current;
    }
    const start = this.#convertStage(sink);
    start.kind = 'start';
    return {
      states: this.#states,
      start,
      windowMs: this.definition.withinMs ?? 0,
      skipStrategy: this.definition.skipStrategy,
      stateByName: this.#stateByName,
    };
  }

  get #stage(): StageDefinition<E> {
    return this.#stages[this.#current]!;
  }

  #convertMiddleStage(sink: AutomatonState<E>): AutomatonState<E> {
    const stage = this.#stage;
    switch (stage.quantifier.consuming) {
      case 'notFollow':
        // Inside the sequence a notFollowedBy becomes stop edges on its neighbours; only at the
        // end does it need a state of its own, which waits for the window to close.
        return sink.kind === 'final' ? this.#createPendingState(stage) : sink;
      case 'notNext':
        return this.#createNotNextState(stage, sink);
      default:
        return this.#convertStage(sink);
    }
  }

  #createPendingState(stage: StageDefinition<E>): AutomatonState<E> {
    const pending = this.#createState(stage.name, 'pending');
    const stop = this.#stopState(stage.name, stage.condition);
    pending.add('proceed', stop, stage.condition);
    pending.add('ignore', pending, not(stage.condition));
    return pending;
  }

  #createNotNextState(stage: StageDefinition<E>, sink: AutomatonState<E>): AutomatonState<E> {
    const notNext = this.#createState(stage.name, 'normal');
    const stop = this.#stopState(stage.name, stage.condition);
    // Before the final state an ignore, not a proceed: the match must wait for the next event.
    notNext.add(sink.kind === 'final' ? 'ignore' : 'proceed', sink, not(stage.condition));
    notNext.add('proceed', stop, stage.condition);
    return notNext;
  }

  #convertStage(sink: AutomatonState<E>): AutomatonState<E> {
    const q = this.#stage.quantifier;
    let first: AutomatonState<E>;
    if (q.kind === 'looping') {
      const looping = this.#createLooping(this.#copyWithoutTransitiveNots(sink));
      first = this.#createTimes(looping, sink, q.from, q.from);
    } else if (q.kind === 'times') {
      first = this.#createTimes(sink, sink, q.from, q.to);
    } else {
      first = this.#createSingleton(sink, sink, this.#stage.condition, this.#ignoreCondition(q.consuming), q.optional);
    }
    this.#addStopStates(first);
    return first;
  }

  /** A chain of singleton states: `from` mandatory ones, then `to - from` optional ones. */
  #createTimes(sink: AutomatonState<E>, proceed: AutomatonState<E>, from: number, to: number): AutomatonState<E> {
    const stage = this.#stage;
    const take = this.#withUntil(stage.condition);
    const innerIgnore = this.#withUntil(this.#ignoreCondition(stage.quantifier.inner));
    if (stage.quantifier.greedy && from !== to) {
      if (stage.until !== null) this.#ungreedySinks.set(sink.name, this.#copy(sink));
      this.#makeGreedy(sink, take);
    }
    let last = sink;
    for (let i = from; i < to; i++) {
      last = this.#createSingleton(last, proceed, take, innerIgnore, true);
      this.#addStopStateToLooping(last);
    }
    for (let i = 0; i < from - 1; i++) {
      last = this.#createSingleton(last, null, take, innerIgnore, false);
      this.#addStopStateToLooping(last);
    }
    const ignore = this.#ignoreCondition(stage.quantifier.consuming);
    return this.#createSingleton(last, proceed, take, ignore, stage.quantifier.optional);
  }

  #createSingleton(
    sink: AutomatonState<E>,
    proceed: AutomatonState<E> | null,
    take: MaybeCondition<E>,
    ignore: IgnoreCondition<E>,
    optional: boolean,
  ): AutomatonState<E> {
    const stage = this.#stage;
    const state = this.#createState(stage.name, 'normal');
    // Taking an event here ends the scope of the NOT stages before this optional stage.
    const takeTarget = this.#copyWithoutTransitiveNots(sink);
    state.add('take', takeTarget, take);
    if (optional && proceed !== null) {
      if (stage.quantifier.greedy && stage.until !== null) {
        state.add('proceed', this.#ungreedySinks.get(proceed.name) ?? proceed, stage.until);
        state.add('proceed', proceed, not(stage.until));
      } else {
        state.add('proceed', proceed, null);
      }
    }
    if (ignore !== undefined) {
      let ignoreTarget = state;
      if (optional) {
        // A twin without the proceed edge, so that skipping events never re-branches the proceed.
        ignoreTarget = this.#createState(stage.name, 'normal');
        ignoreTarget.add('take', takeTarget, take);
        ignoreTarget.add('ignore', ignoreTarget, ignore);
        this.#addStopStates(ignoreTarget);
      }
      state.add('ignore', ignoreTarget, ignore);
    }
    return state;
  }

  #createLooping(sink: AutomatonState<E>): AutomatonState<E> {
    const stage = this.#stage;
    const take = this.#withUntil(stage.condition);
    const ignore = this.#withUntil(this.#ignoreCondition(stage.quantifier.inner));
    const looping = this.#createState(stage.name, 'normal');
    if (stage.quantifier.greedy) {
      if (stage.until !== null) {
        const ungreedy = this.#copy(sink);
        looping.add('proceed', ungreedy, stage.until);
        this.#ungreedySinks.set(sink.name, ungreedy);
      }
      looping.add('proceed', sink, stage.until === null ? null : not(stage.until));
      this.#makeGreedy(sink, stage.condition);
    } else {
      looping.add('proceed', sink, null);
    }
    looping.add('take', looping, take);
    this.#addStopStateToLooping(looping);
    if (ignore !== undefined) {
      const ignoreState = this.#createState(stage.name, 'normal');
      ignoreState.add('take', looping, take);
      ignoreState.add('ignore', ignoreState, ignore);
      looping.add('ignore', ignoreState, ignore);
      this.#addStopStateToLooping(ignoreState);
    }
    return looping;
  }

  /** Greedy: the following stage may only act on events this stage cannot take. */
  #makeGreedy(sink: AutomatonState<E>, take: MaybeCondition<E>): void {
    const cannotTake = not(take);
    sink.mapConditions((condition) => and(condition, cannotTake));
  }

  #withUntil<C extends IgnoreCondition<E>>(condition: C): C | MaybeCondition<E> {
    const until = this.#stage.until;
    return until === null || condition === undefined ? condition : and(not(until), condition);
  }

  #ignoreCondition(consuming: string): IgnoreCondition<E> {
    switch (consuming) {
      case 'skipTillNext':
        return not(this.#stage.condition);
      case 'skipTillAny':
        return null;
      default:
        return undefined;
    }
  }

  /**
   * NOT stages still in scope for the current stage: a notFollowedBy directly before it, or one
   * reached backwards through optional stages.
   */
  #currentNotConditions(): NotCondition<E>[] {
    const nots: NotCondition<E>[] = [];
    for (let i = this.#current - 1; i >= 0; i--) {
      const q = this.#stages[i]!.quantifier;
      if (!q.optional && q.consuming !== 'notFollow') break;
      if (q.consuming === 'notFollow') nots.push({ stage: this.#stages[i]!.name, condition: this.#stages[i]!.condition });
    }
    return nots;
  }

  #addStopStates(state: AutomatonState<E>): void {
    for (const n of this.#currentNotConditions()) {
      state.add('proceed', this.#stopState(n.stage, n.condition), n.condition);
    }
  }

  #addStopStateToLooping(state: AutomatonState<E>): void {
    if (this.#following === null) return;
    const following = this.#stages[this.#following]!;
    if (following.quantifier.consuming === 'notFollow') {
      state.add('proceed', this.#stopState(following.name, following.condition), following.condition);
    }
  }

  /**
   * For an optional stage preceded by notFollowedBy stages: a copy of `sink` whose stop edges
   * for those stages are gone, e.g. `a !b c? d` accepts "a c b d" but not "a b d".
   */
  #copyWithoutTransitiveNots(sink: AutomatonState<E>): AutomatonState<E> {
    const nots = this.#currentNotConditions();
    if (nots.length === 0 || !this.#stage.quantifier.optional) return sink;
    const copy = this.#createState(sink.stage, sink.kind);
    for (const t of sink.transitions) {
      if (t.action === 'proceed') {
        if (t.target.kind === 'stop') {
          if (!nots.some((n) => n.stage === t.target.stage)) copy.add('proceed', t.target, t.condition);
        } else {
          copy.add('proceed', this.#copyWithoutTransitiveNots(t.target), t.condition);
        }
      } else {
        copy.add(t.action, t.target === sink ? copy : t.target, t.condition);
      }
    }
    return copy;
  }

  #copy(state: AutomatonState<E>): AutomatonState<E> {
    const copy = this.#createState(state.stage, state.kind);
    for (const t of state.transitions) copy.add(t.action, t.target === state ? copy : t.target, t.condition);
    return copy;
  }

  /** One stop state per NOT stage: every state that can be stopped by it points to the same one. */
  #stopState(stage: string, condition: MaybeCondition<E>): AutomatonState<E> {
    let stop = this.#stopStates.get(stage);
    if (stop === undefined) {
      stop = this.#createState(stage, 'stop');
      stop.add('take', stop, condition);
      this.#stopStates.set(stage, stop);
    }
    return stop;
  }

  #createState(stage: string, kind: StateKind): AutomatonState<E> {
    let name = stage;
    for (let n = 1; this.#stateByName.has(name); n++) name = `${stage}:${n}`;
    const state = new AutomatonState<E>(this.#states.length, name, stage, kind);
    this.#states.push(state);
    this.#stateByName.set(name, state);
    return state;
  }
}
