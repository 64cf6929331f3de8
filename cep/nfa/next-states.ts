import type { Automaton, AutomatonState, Transition } from '../compiler';
import type { ConditionContext } from '../pattern';
import type { ComputationState } from './computation-state';
import { addStage, increase, type DeweyNumber } from './dewey-number';
import { RunContext } from './run-context';
import type { BufferNode, BufferedEvent, SharedBuffer } from './shared-buffer';

/** The event being processed; it enters the buffer on its first take only. One object is reused for every step. */
export interface CurrentEvent<E> {
  event: E;
  timestamp: number;
  /** Null until a run takes the event. */
  buffered: BufferedEvent<E> | null;
}

/**
 * Moves one run over one event (FlinkCEP's NFA.computeNextStates): first resolve every edge the
 * event enables, following proceed edges, so the number of branches is known; then create the
 * successor runs with Dewey versions that keep their buffer paths apart. One instance serves
 * every key's NFA of an automaton (its scratch space would otherwise cost each of them memory):
 * NFAs step one at a time, and the stepper is never re-entered.
 */
export class NextStates<E> {
  readonly #context = new RunContext<E>();
  readonly #edges: Transition<E>[] = [];
  readonly #stack: AutomatonState<E>[] = [];

  constructor(private readonly automaton: Automaton<E>) {}

  /** Appends the successors of `run` to `out` and releases `run`'s hold on `buffer`. */
  advance(buffer: SharedBuffer<E>, run: ComputationState<E>, current: CurrentEvent<E>, out: ComputationState<E>[]): void {
    const state = this.automaton.states[run.state]!;
    const ctx = this.#context;
    ctx.reset(buffer, run, current.timestamp);
    const edges = this.#edges;
    edges.length = 0;
    let takes = 0;
    let ignores = 0;
    const stack = this.#stack;
    stack.push(state);
    while (stack.length > 0) {
      for (const t of stack.pop()!.transitions) {
        if (t.condition !== null && !t.condition(current.event, ctx)) continue;
        if (t.action === 'proceed') {
          stack.push(t.target);
          continue;
        }
        edges.push(t);
        if (t.action === 'take') takes++;
        else if (t.target !== state) ignores++;
      }
    }
    const isStart = state.kind === 'start';
    // Nothing to branch: the start state saw no event of its own, or a run let the event pass by
    // its one ignore edge back into its own state. Either way the run goes on as it was (the
    // successor would have its version, node and start), so it is kept rather than copied.
    if (edges.length === 0 ? isStart : edges.length === 1 && takes === 0 && edges[0]!.target === state) {
      out.push(run);
      return;
    }

    let takesToVisit = Math.max(0, takes - 1);
    let ignoresToVisit = ignores;
    const takesToSkip = takesToVisit;
    for (const edge of edges) {
      if (edge.action === 'ignore') {
        if (isStart) continue;
        let version: DeweyNumber;
        if (edge.target === state) {
          version = increase(run.version, selfBranches(ignores, takes));
        } else {
          version = addStage(increase(run.version, takesToSkip + ignoresToVisit));
          ignoresToVisit--;
        }
        this.#push(buffer, out, edge.target, run.node, version, run.startTimestamp, run.previousTimestamp, run.startEventId);
        continue;
      }
      const currentVersion = increase(run.version, takesToVisit);
      const nextVersion = addStage(currentVersion);
      takesToVisit--;
      const buffered = (current.buffered ??= buffer.registerEvent(current.event, current.timestamp));
      const node = buffer.put(edge.source.stage, buffered, run.node, currentVersion);
      const startTimestamp = isStart ? current.timestamp : run.startTimestamp;
      const startEventId = isStart ? buffered.id : run.startEventId;
      this.#push(buffer, out, edge.target, node, nextVersion, startTimestamp, current.timestamp, startEventId);
      const final = this.#finalAfterProceed(edge.target, current.event, ctx);
      if (final !== null) this.#push(buffer, out, final, node, nextVersion, startTimestamp, current.timestamp, startEventId);
    }

    if (isStart) {
      out.push({ ...run, version: increase(run.version, selfBranches(ignores, takes)) });
    } else if (run.node !== null) {
      buffer.releaseNode(run.node, run.version);
    }
  }

  /** A take into a state from which the final state is reachable by proceeds completes a match. */
  #finalAfterProceed(from: AutomatonState<E>, event: E, ctx: ConditionContext<E>): AutomatonState<E> | null {
    const stack = this.#stack;
    stack.length = 0;
    stack.push(from);
    while (stack.length > 0) {
      for (const t of stack.pop()!.transitions) {
        if (t.action !== 'proceed' || (t.condition !== null && !t.condition(event, ctx))) continue;
        if (t.target.kind === 'final') {
          stack.length = 0;
          return t.target;
        }
        stack.push(t.target);
      }
    }
    return null;
  }

  #push(
    buffer: SharedBuffer<E>,
    out: ComputationState<E>[],
    target: AutomatonState<E>,
    node: BufferNode<E> | null,
    version: DeweyNumber,
    startTimestamp: number,
    previousTimestamp: number,
    startEventId: number,
  ): void {
    if (node !== null) buffer.lockNode(node, version);
    out.push({ state: target.id, node, version, startTimestamp, previousTimestamp, startEventId });
  }
}

/** How far a run that stays in its state must step aside for its siblings' versions. */
function selfBranches(ignores: number, takes: number): number {
  return takes === 0 && ignores === 0 ? 0 : ignores + Math.max(1, takes);
}
