import type { EventKind } from '../../cep';
import { Topics } from '../shared/topics';

export const SCORER_INPUTS: ReadonlyArray<{ topic: string; kind: EventKind }> = [
  // Rank order: at equal event time a profile version is applied before the auth event and the
  // transaction it may explain.
  { topic: Topics.profiles, kind: 'profile' },
  { topic: Topics.authEvents, kind: 'auth' },
  { topic: Topics.transactions, kind: 'transaction' },
];
