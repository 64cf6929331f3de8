import type { EventKind, InputSpec } from '../../cep';
import type { TopicNames } from '../shared/topics';

/**
 * The scorer's inputs in rank order: at equal event time a profile version is applied before the
 * auth event and the transaction it may explain.
 */
export function scorerInputs(topics: TopicNames): InputSpec[] {
  const inputs: Array<{ topic: string; kind: EventKind }> = [
    { topic: topics.profiles, kind: 'profile' },
    { topic: topics.authEvents, kind: 'auth' },
    { topic: topics.transactions, kind: 'transaction' },
  ];
  return inputs;
}
