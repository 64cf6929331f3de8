// A consumer that joins its group before its topics exist fails on Kafka ("This server does not host
// this topic-partition"), and a service may well start before the one that creates them.
import { setTimeout as sleep } from 'node:timers/promises';
import { LogErrorCode, isLogError } from './errors';
import type { LogAdmin } from './types';

export interface TopicWait {
  /** Ends the wait early: the result is then false. */
  readonly signal: AbortSignal;
  /** How often to look again. */
  readonly pollMs: number;
  /** Called once, the first time a topic is missing. */
  readonly onWaiting?: () => void;
}

/** Resolves true once every topic exists, false when stopped first; errors other than a missing topic reject. */
export async function waitForTopics(admin: LogAdmin, topics: readonly string[], { signal, pollMs, onWaiting }: TopicWait): Promise<boolean> {
  let waiting = false;
  for (;;) {
    try {
      await Promise.all(topics.map((topic) => admin.partitionCount(topic)));
      return !signal.aborted;
    } catch (error) {
      if (!isLogError(error, LogErrorCode.UnknownTopic)) throw error;
      if (!waiting) onWaiting?.();
      waiting = true;
    }
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return false;
    }
  }
}
