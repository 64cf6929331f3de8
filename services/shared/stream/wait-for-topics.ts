// A consumer that joins its group before its topics exist fails on Kafka ("This server does not host
// this topic-partition"), and a service may well start before the one that creates them, or while
// the broker restarts.
import { setTimeout as sleep } from 'node:timers/promises';
import { type LogError, LogErrorCode, isLogError } from './errors';
import type { LogAdmin } from './types';

export interface TopicWait {
  /** Ends the wait early: the result is then false. */
  readonly signal: AbortSignal;
  /** How often to look again. */
  readonly pollMs: number;
  /** Called once, with the error, the first time a topic is missing or the broker does not answer. */
  readonly onWaiting?: (error: LogError) => void;
}

/**
 * Resolves true once every topic exists, false when stopped first. A missing topic, or a broker
 * that does not answer (an error a retry may pass), is waited out; any other error rejects.
 */
export async function waitForTopics(admin: LogAdmin, topics: readonly string[], { signal, pollMs, onWaiting }: TopicWait): Promise<boolean> {
  let waiting = false;
  for (;;) {
    try {
      await Promise.all(topics.map((topic) => admin.partitionCount(topic)));
      return !signal.aborted;
    } catch (error) {
      if (!isLogError(error) || !(error.code === LogErrorCode.UnknownTopic || (error.code === LogErrorCode.Broker && error.retriable))) throw error;
      if (!waiting) onWaiting?.(error);
      waiting = true;
    }
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return false;
    }
  }
}
