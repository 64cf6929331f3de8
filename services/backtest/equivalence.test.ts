import { createMemoryLog } from '../shared/stream';
import { describeBacktestEquivalence } from './equivalence';

describeBacktestEquivalence('in-memory log', () => createMemoryLog());
