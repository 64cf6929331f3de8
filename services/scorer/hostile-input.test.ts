import { createMemoryLog } from '../shared/stream';
import { describeHostileInput } from './hostile-input';

describeHostileInput('in-memory log', () => createMemoryLog());
