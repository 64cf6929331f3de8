import type { AfterMatchSkipStrategy, Condition } from '../pattern';

/**
 * `start` keeps spawning runs; `final` completes a match; `stop` kills the run that reaches it
 * (a NOT stage matched); `pending` completes a match when the window closes without a stop
 * (a trailing notFollowedBy).
 */
export type StateKind = 'start' | 'normal' | 'final' | 'stop' | 'pending';

/**
 * `take` consumes the event into the source state's stage and moves to the target; `ignore`
 * skips the event and moves to the target; `proceed` is an epsilon move evaluated against the
 * same event.
 */
export type TransitionAction = 'take' | 'ignore' | 'proceed';

export interface Transition<E> {
  readonly action: TransitionAction;
  readonly source: AutomatonState<E>;
  readonly target: AutomatonState<E>;
  /** Null always holds; it saves a call per evaluation on the hot path. */
  readonly condition: Condition<E> | null;
}

export class AutomatonState<E> {
  readonly transitions: Transition<E>[] = [];
  /**
   * A run waiting in this state ends when this much event time passed since its previous event
   * (`within(ms, WithinType.PREVIOUS_AND_CURRENT)` on the state's stage); 0 when unbounded.
   */
  windowMs = 0;

  constructor(
    /** Position in `Automaton.states`. */
    readonly id: number,
    /** Unique among the automaton's states; snapshots refer to states by it. */
    readonly name: string,
    /** The pattern stage whose events this state accepts. */
    readonly stage: string,
    public kind: StateKind,
  ) {}

  add(action: TransitionAction, target: AutomatonState<E>, condition: Condition<E> | null): void {
    this.transitions.push({ action, source: this, target, condition });
  }

  /** Rewrites every outgoing condition; only the compiler calls it, before the automaton is used. */
  mapConditions(map: (condition: Condition<E> | null) => Condition<E> | null): void {
    for (let i = 0; i < this.transitions.length; i++) {
      const t = this.transitions[i]!;
      this.transitions[i] = { ...t, condition: map(t.condition) };
    }
  }
}

/** A compiled pattern: immutable, shared by the NFAs of all keys. */
export interface Automaton<E> {
  readonly states: readonly AutomatonState<E>[];
  readonly start: AutomatonState<E>;
  /** 0 when the pattern has no `within` (first and last event). */
  readonly windowMs: number;
  /** Whether any state has a window since the previous event (`AutomatonState.windowMs`). */
  readonly stateWindows: boolean;
  readonly skipStrategy: AfterMatchSkipStrategy;
  readonly stateByName: ReadonlyMap<string, AutomatonState<E>>;
}
