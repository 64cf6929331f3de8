// Whether the scorer does its work, as /healthz and a gauge report it: not merely whether its consumer
// is joined, but whether it keeps up. Two problems make it unhealthy: a consumer that crashed more
// than once within the restart window (a crash loop, which a single restart is not), and an assigned
// partition with records waiting in the log whose position has not moved for the stall time.
export interface HealthOptions {
  /** Wall clock. */
  readonly now: () => number;
  /** Crashes within this window that count as restarting repeatedly: two or more. */
  readonly restartWindowMs: number;
  readonly stallMs: number;
  /** Records waiting that may be transaction markers, which no consumer position ever reaches. */
  readonly markerSlack: bigint;
}

interface Progress {
  position: bigint;
  end: bigint;
  movedAt: number;
}

export const HEALTH_DEFAULTS = { restartWindowMs: 60_000, stallMs: 30_000, markerSlack: 64n } as const;

export const HEALTH_PROBLEMS = ['restarting', 'stalled'] as const;
export type HealthProblem = (typeof HEALTH_PROBLEMS)[number];

export class ScorerHealth {
  readonly #options: HealthOptions;
  #crashes: number[] = [];
  /** By partition, then input topic. */
  readonly #progress = new Map<number, Map<string, Progress>>();

  constructor(options: HealthOptions) {
    this.#options = options;
  }

  crashed(): void {
    this.#crashes.push(this.#options.now());
  }

  /** Where an assigned partition of `topic` stands: the task's next offset, and the log's end. */
  observe(partition: number, topic: string, position: bigint, end: bigint): void {
    let topics = this.#progress.get(partition);
    if (topics === undefined) this.#progress.set(partition, (topics = new Map()));
    const known = topics.get(topic);
    const now = this.#options.now();
    if (known === undefined || position !== known.position) topics.set(topic, { position, end, movedAt: now });
    else known.end = end;
  }

  /** The partition is no longer this member's. */
  forget(partition: number): void {
    this.#progress.delete(partition);
  }

  /** What is wrong, one line each; empty when healthy. */
  problems(): { readonly reason: HealthProblem; readonly detail: string }[] {
    const { now, restartWindowMs, stallMs, markerSlack } = this.#options;
    const at = now();
    this.#crashes = this.#crashes.filter((time) => at - time < restartWindowMs);
    const problems: Array<{ reason: HealthProblem; detail: string }> = [];
    if (this.#crashes.length >= 2) problems.push({ reason: 'restarting', detail: `${this.#crashes.length} consumer restarts in the last ${restartWindowMs / 1000} s` });
    for (const [partition, topics] of this.#progress) {
      for (const [topic, { position, end, movedAt }] of topics) {
        if (end - position > markerSlack && at - movedAt >= stallMs) {
          problems.push({ reason: 'stalled', detail: `${topic} partition ${partition}: ${end - position} records waiting, no progress for ${Math.round((at - movedAt) / 1000)} s` });
        }
      }
    }
    return problems;
  }
}
