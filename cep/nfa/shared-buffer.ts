import { isCompatibleWith, type DeweyNumber } from './dewey-number';

/** Marks "no node": the run has not accepted an event yet, or an edge ends the run's chain. */
export const NO_NODE = -1;

interface BufferedEvent<E> {
  readonly event: E;
  readonly timestamp: number;
  refs: number;
}

interface BufferEdge {
  readonly target: number;
  readonly version: DeweyNumber;
  refs: number;
}

interface BufferNode {
  readonly eventId: number;
  readonly stage: string;
  refs: number;
  readonly edges: BufferEdge[];
}

/**
 * Nodes created for the event being processed, by stage: all runs taking it share one node. Only
 * one buffer puts at a time and only while it processes one event, so every buffer shares this
 * instead of holding a map of its own.
 */
const open = { buffer: null as object | null, eventId: -1, nodes: new Map<string, number>() };

/** A partial match as the ids of its events per stage, stages in order of their first event. */
export type EventIdMatch = Map<string, number[]>;

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
 * reference counted and disappear as soon as no run can reach them, so a finished, discarded or
 * timed-out run leaves nothing behind.
 */
export class SharedBuffer<E> {
  readonly #events = new Map<number, BufferedEvent<E>>();
  readonly #nodes = new Map<number, BufferNode>();
  #nextEventId = 0;
  #nextNodeId = 0;

  get eventCount(): number {
    return this.#events.size;
  }

  get nodeCount(): number {
    return this.#nodes.size;
  }

  /** Holds one reference for the caller, released with `releaseEvent` once processing ends. */
  registerEvent(event: E, timestamp: number): number {
    const id = this.#nextEventId++;
    this.#events.set(id, { event, timestamp, refs: 1 });
    return id;
  }

  releaseEvent(eventId: number): void {
    const entry = this.#events.get(eventId);
    if (entry !== undefined && --entry.refs <= 0) this.#events.delete(eventId);
  }

  event(eventId: number): E {
    return this.#events.get(eventId)!.event;
  }

  /** Records that runs of `version` accepted `eventId` into `stage` after `previous`. */
  put(stage: string, eventId: number, previous: number, version: DeweyNumber): number {
    if (previous !== NO_NODE) this.lockNode(previous, version);
    if (open.buffer !== this || open.eventId !== eventId) {
      open.nodes.clear();
      open.buffer = this;
      open.eventId = eventId;
    }
    let id = open.nodes.get(stage);
    let node = id === undefined ? undefined : this.#nodes.get(id);
    if (id === undefined || node === undefined) {
      id = this.#nextNodeId++;
      node = { eventId, stage, refs: 0, edges: [] };
      this.#nodes.set(id, node);
      open.nodes.set(stage, id);
      this.#events.get(eventId)!.refs++;
    }
    node.edges.push({ target: previous, version, refs: 0 });
    return id;
  }

  lockNode(nodeId: number, version: DeweyNumber): void {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) return;
    node.refs++;
    for (const edge of node.edges) {
      if (isCompatibleWith(version, edge.version)) edge.refs++;
    }
  }

  /** Drops one reference of a run of `version`, and whatever only that run kept alive. */
  releaseNode(nodeId: number, version: DeweyNumber): void {
    const nodes = [nodeId];
    const versions = [version];
    while (nodes.length > 0) {
      const id = nodes.pop()!;
      const v = versions.pop()!;
      const node = this.#nodes.get(id);
      if (node === undefined) continue;
      for (let i = node.edges.length - 1; i >= 0; i--) {
        const edge = node.edges[i]!;
        if (!isCompatibleWith(v, edge.version) || --edge.refs > 0) continue;
        node.edges.splice(i, 1);
        if (edge.target !== NO_NODE) {
          nodes.push(edge.target);
          versions.push(edge.version);
        }
      }
      if (--node.refs <= 0) {
        // Each edge holds one reference on its target, taken in `put`.
        for (const edge of node.edges) {
          if (edge.target === NO_NODE) continue;
          nodes.push(edge.target);
          versions.push(edge.version);
        }
        this.#nodes.delete(id);
        if (open.buffer === this && open.nodes.get(node.stage) === id) open.nodes.delete(node.stage);
        this.releaseEvent(node.eventId);
      }
    }
  }

  /** Every event sequence of runs of `version` that ends in `nodeId`, walking edges backwards. */
  extractPatterns(nodeId: number, version: DeweyNumber): EventIdMatch[] {
    const result: EventIdMatch[] = [];
    if (!this.#nodes.has(nodeId)) return result;
    const pending: { node: number; version: DeweyNumber; path: number[] }[] = [
      { node: nodeId, version, path: [] },
    ];
    while (pending.length > 0) {
      const { node: id, version: v, path } = pending.pop()!;
      if (id === NO_NODE) {
        result.push(this.#toMatch(path));
        continue;
      }
      path.push(id);
      let shared = true;
      for (const edge of this.#nodes.get(id)!.edges) {
        if (!isCompatibleWith(v, edge.version)) continue;
        pending.push({ node: edge.target, version: edge.version, path: shared ? path : path.slice() });
        shared = false;
      }
    }
    return result;
  }

  materialize(match: EventIdMatch): Record<string, E[]> {
    const result: Record<string, E[]> = {};
    for (const [stage, ids] of match) result[stage] = ids.map((id) => this.event(id));
    return result;
  }

  toSnapshot(): SharedBufferSnapshot<E> {
    return {
      nextEventId: this.#nextEventId,
      nextNodeId: this.#nextNodeId,
      events: [...this.#events].map(([id, e]) => ({ id, timestamp: e.timestamp, refs: e.refs, event: e.event })),
      nodes: [...this.#nodes].map(([id, n]) => ({
        id,
        eventId: n.eventId,
        stage: n.stage,
        refs: n.refs,
        edges: n.edges.map((e) => ({ target: e.target, version: [...e.version], refs: e.refs })),
      })),
    };
  }

  static fromSnapshot<E>(snapshot: SharedBufferSnapshot<E>): SharedBuffer<E> {
    const buffer = new SharedBuffer<E>();
    buffer.#nextEventId = snapshot.nextEventId;
    buffer.#nextNodeId = snapshot.nextNodeId;
    for (const e of snapshot.events) buffer.#events.set(e.id, { event: e.event, timestamp: e.timestamp, refs: e.refs });
    for (const n of snapshot.nodes) {
      const edges = n.edges.map((e) => ({ target: e.target, version: [...e.version], refs: e.refs }));
      buffer.#nodes.set(n.id, { eventId: n.eventId, stage: n.stage, refs: n.refs, edges });
    }
    return buffer;
  }

  /** The path was collected newest first; a match lists stages and events oldest first. */
  #toMatch(path: readonly number[]): EventIdMatch {
    const match: EventIdMatch = new Map();
    for (let i = path.length - 1; i >= 0; i--) {
      const node = this.#nodes.get(path[i]!)!;
      const ids = match.get(node.stage);
      if (ids === undefined) match.set(node.stage, [node.eventId]);
      else ids.push(node.eventId);
    }
    return match;
  }
}
