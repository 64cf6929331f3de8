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
 * Port of FlinkCEP's NFACompiler: the sequence is walked from the last stage to the first, so
 * every stage is built knowing the state it leads to. A group stage is compiled the same way
 * inside the group's context (its first stage takes the group's contiguity; a looping group
 * proceeds from its last stage back to its first through a state of its own).
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
  /** Whether a looping or times group is being built as the first of its repetitions (FlinkCEP's firstOfLoopMap). */
  readonly #firstOfLoop = new Map<StageDefinition<E>, boolean>();
  /** The sequence being compiled: the pattern's, or a group's. */
  #stages: readonly StageDefinition<E>[];
  #current: number;
  /** The stage after the current one, once it was compiled; inside a group, at first the stage after the group. */
  #following: StageDefinition<E> | null = null;
  /** The group whose sequence is being compiled; null at the top level. */
  #group: StageDefinition<E> | null = null;

  constructor(private readonly definition: PatternDefinition<E>) {
    this.#stages = definition.stages;
    this.#current = definition.stages.length - 1;
  }

  compile(): Automaton<E> {
    const start = this.#convertSequence(this.#createState(FINAL_STAGE, 'final'));
    start.kind = 'start';
    return {
      states: this.#states,
      start,
      windowMs: this.definition.withinMs ?? 0,
      stateWindows: this.#states.some((state) => state.windowMs > 0),
      skipStrategy: this.definition.skipStrategy,
      stateByName: this.#stateByName,
    };
  }

  get #stage(): StageDefinition<E> {
    return this.#stages[this.#current]!;
  }

  /** The states of the current sequence from its last stage back to its first, which is returned. */
  #convertSequence(sink: AutomatonState<E>): AutomatonState<E> {
    for (this.#current = this.#stages.length - 1; this.#current > 0; this.#current--) {
      sink = this.#convertMiddleStage(sink);
      this.#following = this.#stage;
    }
    return this.#convertStage(sink);
  }

  /** Compiles `group`'s sequence towards `sink` in the group's context, then restores the outer one. */
  #inGroup(group: StageDefinition<E>, sink: AutomatonState<E>): AutomatonState<E> {
    const outer = { stages: this.#stages, current: this.#current, following: this.#following, group: this.#group };
    this.#stages = group.group!;
    this.#group = group;
    const first = this.#convertSequence(sink);
    this.#stages = outer.stages;
    this.#current = outer.current;
    this.#following = outer.following;
    this.#group = outer.group;
    return first;
  }

  /** Whether `stage` is the first of the group being compiled: it takes the group's contiguity. */
  #headOfGroup(stage: StageDefinition<E>): boolean {
    return this.#group !== null && stage === this.#stages[0];
  }

  #groupFirstOfLoop(): boolean {
    return this.#firstOfLoop.get(this.#group!) ?? true;
  }

  #setFirstOfLoop(first: boolean): void {
    if (this.#stage.group !== null) this.#firstOfLoop.set(this.#stage, first);
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
    const pending = this.#createTakeState(stage, 'pending');
    const condition = this.#takeCondition(stage);
    pending.add('proceed', this.#stopState(stage.name, condition), condition);
    pending.add('ignore', pending, not(condition));
    return pending;
  }

  #createNotNextState(stage: StageDefinition<E>, sink: AutomatonState<E>): AutomatonState<E> {
    const notNext = this.#createTakeState(stage, 'normal');
    const condition = this.#takeCondition(stage);
    // Before the final state an ignore, not a proceed: the match must wait for the next event.
    notNext.add(sink.kind === 'final' ? 'ignore' : 'proceed', sink, not(condition));
    notNext.add('proceed', this.#stopState(stage.name, condition), condition);
    return notNext;
  }

  #convertStage(sink: AutomatonState<E>): AutomatonState<E> {
    const q = this.#stage.quantifier;
    let first: AutomatonState<E>;
    if (q.kind === 'looping') {
      // Once the loop has started, the NOT stages before an optional stage no longer apply.
      this.#setFirstOfLoop(false);
      const looping = this.#createLooping(this.#copyWithoutTransitiveNots(sink));
      this.#setFirstOfLoop(true);
      first = this.#createTimes(looping, sink, q.from, q.from);
    } else if (q.kind === 'times') {
      first = this.#createTimes(sink, sink, q.from, q.to);
    } else {
      first = this.#createSingleton(sink, sink, this.#takeCondition(this.#stage), this.#ignoreCondition(this.#stage), q.optional);
    }
    this.#addStopStates(first);
    return first;
  }

  /** A chain of singleton states: `from` mandatory ones, then `to - from` optional ones. */
  #createTimes(sink: AutomatonState<E>, proceed: AutomatonState<E>, from: number, to: number): AutomatonState<E> {
    const stage = this.#stage;
    this.#setFirstOfLoop(false);
    const take = this.#withUntil(this.#takeCondition(stage));
    const innerIgnore = this.#withUntil(this.#innerIgnoreCondition(stage));
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
    this.#setFirstOfLoop(true);
    return this.#createSingleton(last, proceed, take, this.#ignoreCondition(stage), stage.quantifier.optional);
  }

  #createSingleton(
    sink: AutomatonState<E>,
    proceed: AutomatonState<E> | null,
    take: MaybeCondition<E>,
    ignore: IgnoreCondition<E>,
    optional: boolean,
  ): AutomatonState<E> {
    const stage = this.#stage;
    if (stage.group !== null) return this.#createGroup(stage, sink, proceed, optional);
    const state = this.#createTakeState(stage, 'normal');
    // Taking an event here ends the scope of the NOT stages before this optional stage.
    const takeTarget = this.#copyWithoutTransitiveNots(sink);
    state.add('take', takeTarget, take);
    if (optional && proceed !== null) {
      if (stage.quantifier.greedy && stage.until !== null) {
        state.add('proceed', this.#ungreedySinks.get(proceed.name) ?? proceed, and(this.#trueCondition(), stage.until));
        state.add('proceed', proceed, and(this.#trueCondition(), not(stage.until)));
      } else {
        state.add('proceed', proceed, this.#trueCondition());
      }
    }
    if (ignore !== undefined) {
      let ignoreTarget = state;
      if (optional || this.#headOfOptionalGroup(stage)) {
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

  /**
   * A group's states towards `sink`; an optional group's first state may also proceed past it.
   * `proceed` is null only where the group is mandatory.
   */
  #createGroup(group: StageDefinition<E>, sink: AutomatonState<E>, proceed: AutomatonState<E> | null, optional: boolean): AutomatonState<E> {
    const first = this.#inGroup(group, sink);
    if (optional) first.add('proceed', proceed!, this.#trueCondition());
    return first;
  }

  /**
   * A looping group: after its last stage a state of its own (named after the group) proceeds
   * back to its first stage, whose states also proceed on to `sink`.
   */
  #createLoopingGroup(group: StageDefinition<E>, sink: AutomatonState<E>): AutomatonState<E> {
    const repeat = this.#createState(group.name, 'normal');
    const first = this.#inGroup(group, repeat);
    first.add('proceed', sink, this.#trueCondition());
    repeat.add('proceed', first, this.#trueCondition());
    return first;
  }

  #createLooping(sink: AutomatonState<E>): AutomatonState<E> {
    const stage = this.#stage;
    if (stage.group !== null) return this.#createLoopingGroup(stage, sink);
    const take = this.#withUntil(this.#takeCondition(stage));
    const ignore = this.#withUntil(this.#innerIgnoreCondition(stage));
    const looping = this.#createTakeState(stage, 'normal');
    if (stage.quantifier.greedy) {
      if (stage.until !== null) {
        const ungreedy = this.#copy(sink);
        looping.add('proceed', ungreedy, and(this.#trueCondition(), stage.until));
        this.#ungreedySinks.set(sink.name, ungreedy);
      }
      looping.add('proceed', sink, stage.until === null ? this.#trueCondition() : and(this.#trueCondition(), not(stage.until)));
      this.#makeGreedy(sink, this.#takeCondition(stage));
    } else {
      looping.add('proceed', sink, this.#trueCondition());
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

  /** The stage's take condition; inside a group with `until`, only while the group's until does not hold. */
  #takeCondition(stage: StageDefinition<E>): MaybeCondition<E> {
    return this.#withGroupUntil(stage.condition, true);
  }

  /** Always true, but inside a group with `until` only while it does not hold. */
  #trueCondition(): MaybeCondition<E> {
    return this.#withGroupUntil(null, true);
  }

  /** The ignore condition between the stage's previous stage and its first event. */
  #ignoreCondition(stage: StageDefinition<E>): IgnoreCondition<E> {
    let consuming: string = stage.quantifier.consuming;
    // A group's first stage follows the stage before the group as the group does; in a later
    // repetition of the group it follows the group's previous repetition.
    if (this.#headOfGroup(stage)) {
      const q = this.#group!.quantifier;
      consuming = this.#groupFirstOfLoop() ? q.consuming : q.inner;
    }
    return this.#withGroupUntil(this.#ignoreFor(consuming, stage), false);
  }

  /** The ignore condition between the events of a times or looping stage. */
  #innerIgnoreCondition(stage: StageDefinition<E>): IgnoreCondition<E> {
    const consuming = this.#headOfGroup(stage) ? this.#group!.quantifier.inner : stage.quantifier.inner;
    return this.#withGroupUntil(this.#ignoreFor(consuming, stage), false);
  }

  #ignoreFor(consuming: string, stage: StageDefinition<E>): IgnoreCondition<E> {
    switch (consuming) {
      case 'skipTillNext':
        return not(stage.condition);
      case 'skipTillAny':
        return null;
      default:
        return undefined;
    }
  }

  /** FlinkCEP's extendWithUntilCondition for the enclosing group's until. */
  #withGroupUntil<C extends IgnoreCondition<E>>(condition: C, isTake: boolean): C | MaybeCondition<E> {
    const until = this.#group?.until ?? null;
    if (until === null || (condition === undefined && !isTake)) return condition;
    return and(not(until), condition ?? null);
  }

  #headOfOptionalGroup(stage: StageDefinition<E>): boolean {
    return this.#headOfGroup(stage) && this.#groupFirstOfLoop() && this.#group!.quantifier.optional;
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
      if (q.consuming === 'notFollow') nots.push({ stage: this.#stages[i]!.name, condition: this.#takeCondition(this.#stages[i]!) });
    }
    return nots;
  }

  #addStopStates(state: AutomatonState<E>): void {
    for (const n of this.#currentNotConditions()) {
      state.add('proceed', this.#stopState(n.stage, n.condition), n.condition);
    }
  }

  #addStopStateToLooping(state: AutomatonState<E>): void {
    const following = this.#following;
    if (following !== null && following.quantifier.consuming === 'notFollow') {
      const condition = this.#takeCondition(following);
      state.add('proceed', this.#stopState(following.name, condition), condition);
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

  /**
   * A state where runs wait for the stage's event, bounded by the stage's window since the previous
   * event: `within(ms, PREVIOUS_AND_CURRENT)` on a stage of one event, the quantifier's window on a
   * quantified one. As in FlinkCEP, the twin states that only skip events are not bounded.
   */
  #createTakeState(stage: StageDefinition<E>, kind: StateKind): AutomatonState<E> {
    const state = this.#createState(stage.name, kind);
    const q = stage.quantifier;
    if (q.kind === 'single') state.windowMs = stage.previousWithinMs ?? 0;
    // FlinkCEP bounds every take state of a quantified stage but the first it creates (the one
    // whose name has no suffix): that choice decides which gaps its tests find bounded, so it is kept.
    else if (state.name !== stage.name) state.windowMs = q.windowMs ?? 0;
    return state;
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
