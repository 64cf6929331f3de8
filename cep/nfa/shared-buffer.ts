import { isCompatibleWith, type DeweyNumber } from './dewey-number';

/** Marks "no node" in snapshots: the run has not accepted an event yet, or an edge ends the run's chain. */
export const NO_NODE = -1;

/** An event held for the partial matches that accepted it. Ids grow with arrival order. */
export interface BufferedEvent<E> {
  readonly id: number;
  readonly event: E;
  readonly timestamp: number;
  refs: number;
}

/** Points to the node of the previous event of the runs of `version`; null ends the chain. */
interface BufferEdge<E> {
  readonly target: BufferNode<E> | null;
  readonly version: DeweyNumber;
  refs: number;
}

/** "Event E accepted into stage S"; runs refer to their newest node directly. */
export interface BufferNode<E> {
  readonly id: number;
  readonly event: BufferedEvent<E>;
  readonly stage: string;
  refs: number;
  readonly edges: BufferEdge<E>[];
}

/**
 * Nodes created for the event being processed, by stage: all runs taking it share one node. Only
 * one buffer puts at a time and only while it processes one event, so every buffer shares this
 * instead of holding a map of its own.
 */
const open = { buffer: null as object | null, event: null as object | null, nodes: new Map<string, object>() };

/** A partial match as its buffered events per stage, stages in order of their first event. */
export type BufferedMatch<E> = Map<string, BufferedEvent<E>[]>;

export interface SharedBufferSnapshot<E> {
  readonly nextEventId: number;
  readonly nextNodeId: number;
  readonly events: readonly { id: number; timestamp: number; refs: number; event: E }[];
  readonly nodes: readonly {
    id: number;
    eventId: number;
    stage: string;
    refs: number;
    edges: readonly { target: number; version: number[]; refs: number }[];
  }[];
}

/**
 * The events of all partial matches of one key, stored once (FlinkCEP's SharedBuffer). A node is
 * "event E accepted into stage S"; its edges point to the node of the previous event of some
 * runs, tagged with the Dewey version of the runs they belong to. Nodes, edges and events are
 * reference counted and let go of as soon as no run can reach them, so a finished, discarded or
 * timed-out run leaves nothing behind. Runs and edges hold their nodes, and nodes their events,
 * by reference: the buffer itself keeps only counters, not an index of ids (two hash tables per
 * key's NFA, and a lookup per step); ids remain for snapshots and for ordering runs.
 */
export class SharedBuffer<E> {
  #nextEventId = 0;
  #nextNodeId = 0;
  #events = 0;
  #nodes = 0;

  get eventCount(): number {
    return this.#events;
  }

  get nodeCount(): number {
    return this.#nodes;
  }

  /** Holds one reference for the caller, released with `releaseEvent` once processing ends. */
  registerEvent(event: E, timestamp: number): BufferedEvent<E> {
    this.#events++;
    return { id: this.#nextEventId++, event, timestamp, refs: 1 };
  }

  releaseEvent(event: BufferedEvent<E>): void {
    if (--event.refs === 0) this.#events--;
  }

  /** Records that runs of `version` accepted `event` into `stage` after `previous`. */
  put(stage: string, event: BufferedEvent<E>, previous: BufferNode<E> | null, version: DeweyNumber): BufferNode<E> {
    if (previous !== null) this.lockNode(previous, version);
    if (open.buffer !== this || open.event !== event) {
      open.nodes.clear();
      open.buffer = this;
      open.event = event;
    }
    const edge = { target: previous, version, refs: 0 };
    let node = open.nodes.get(stage) as BufferNode<E> | undefined;
    if (node === undefined) {
      // Most nodes keep one edge: an array literal holds exactly that, where a push would reserve room for 16 more.
      node = { id: this.#nextNodeId++, event, stage, refs: 0, edges: [edge] };
      this.#nodes++;
      open.nodes.set(stage, node);
      event.refs++;
    } else {
      node.edges.push(edge);
    }
    return node;
  }

  lockNode(node: BufferNode<E>, version: DeweyNumber): void {
    node.refs++;
    for (const edge of node.edges) {
      if (isCompatibleWith(version, edge.version)) edge.refs++;
    }
  }

  /** Drops one reference of a run of `version`, and whatever only that run kept alive. */
  releaseNode(first: BufferNode<E>, version: DeweyNumber): void {
    const nodes = [first];
    const versions = [version];
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const v = versions.pop()!;
      // Released already, through another path.
      if (node.refs <= 0) continue;
      for (let i = node.edges.length - 1; i >= 0; i--) {
        const edge = node.edges[i]!;
        if (!isCompatibleWith(v, edge.version) || --edge.refs > 0) continue;
        node.edges.splice(i, 1);
        if (edge.target !== null) {
          nodes.push(edge.target);
          versions.push(edge.version);
        }
      }
      if (--node.refs <= 0) {
        // Each edge holds one reference on its target, taken in `put`.
        for (const edge of node.edges) {
          if (edge.target === null) continue;
          nodes.push(edge.target);
          versions.push(edge.version);
        }
        this.#nodes--;
        if (open.buffer === this && open.nodes.get(node.stage) === node) open.nodes.delete(node.stage);
        this.releaseEvent(node.event);
      }
    }
  }

  /** Every event sequence of runs of `version` that ends in `node`, walking edges backwards. */
  extractPatterns(node: BufferNode<E>, version: DeweyNumber): BufferedMatch<E>[] {
    const result: BufferedMatch<E>[] = [];
    if (node.refs <= 0) return result;
    const pending: { node: BufferNode<E> | null; version: DeweyNumber; path: BufferNode<E>[] }[] = [{ node, version, path: [] }];
    while (pending.length > 0) {
      const { node: current, version: v, path } = pending.pop()!;
      if (current === null) {
        result.push(toMatch(path));
        continue;
      }
      path.push(current);
      let shared = true;
      for (const edge of current.edges) {
        if (!isCompatibleWith(v, edge.version)) continue;
        pending.push({ node: edge.target, version: edge.version, path: shared ? path : path.slice() });
        shared = false;
      }
    }
    return result;
  }

  materialize(match: BufferedMatch<E>): Record<string, E[]> {
    const result: Record<string, E[]> = {};
    for (const [stage, events] of match) result[stage] = events.map((e) => e.event);
    return result;
  }

  /** The nodes reachable from `heads` (the runs' newest nodes) and their events, in id order. */
  toSnapshot(heads: Iterable<BufferNode<E> | null>): SharedBufferSnapshot<E> {
    const nodes = new Set<BufferNode<E>>();
    const visit: (BufferNode<E> | null)[] = [...heads];
    while (visit.length > 0) {
      const node = visit.pop()!;
      if (node === null || nodes.has(node)) continue;
      nodes.add(node);
      for (const edge of node.edges) visit.push(edge.target);
    }
    const sorted = [...nodes].sort((a, b) => a.id - b.id);
    const events = [...new Set(sorted.map((n) => n.event))].sort((a, b) => a.id - b.id);
    return {
      nextEventId: this.#nextEventId,
      nextNodeId: this.#nextNodeId,
      events: events.map((e) => ({ id: e.id, timestamp: e.timestamp, refs: e.refs, event: e.event })),
      nodes: sorted.map((n) => ({
        id: n.id,
        eventId: n.event.id,
        stage: n.stage,
        refs: n.refs,
        edges: n.edges.map((e) => ({ target: e.target?.id ?? NO_NODE, version: [...e.version], refs: e.refs })),
      })),
    };
  }

  /** The buffer, and its nodes by id for the runs that refer to them. */
  static fromSnapshot<E>(snapshot: SharedBufferSnapshot<E>): { buffer: SharedBuffer<E>; nodes: ReadonlyMap<number, BufferNode<E>> } {
    const buffer = new SharedBuffer<E>();
    buffer.#nextEventId = snapshot.nextEventId;
    buffer.#nextNodeId = snapshot.nextNodeId;
    const events = new Map<number, BufferedEvent<E>>();
    for (const e of snapshot.events) events.set(e.id, { id: e.id, event: e.event, timestamp: e.timestamp, refs: e.refs });
    const nodes = new Map<number, BufferNode<E>>();
    for (const n of snapshot.nodes) nodes.set(n.id, { id: n.id, event: events.get(n.eventId)!, stage: n.stage, refs: n.refs, edges: [] });
    for (const n of snapshot.nodes) {
      const { edges } = nodes.get(n.id)!;
      for (const e of n.edges) edges.push({ target: e.target === NO_NODE ? null : nodes.get(e.target)!, version: [...e.version], refs: e.refs });
    }
    buffer.#events = events.size;
    buffer.#nodes = nodes.size;
    return { buffer, nodes };
  }
}

/** The path was collected newest first; a match lists stages and events oldest first. */
function toMatch<E>(path: readonly BufferNode<E>[]): BufferedMatch<E> {
  const match: BufferedMatch<E> = new Map();
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    const events = match.get(node.stage);
    if (events === undefined) match.set(node.stage, [node.event]);
    else events.push(node.event);
  }
  return match;
}
