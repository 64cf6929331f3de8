import { type RecordLog, createMemoryLog } from '../shared/stream';
import { describeBacktestEquivalence } from './equivalence';

/**
 * A log whose end offsets take longer to read than the idle timeout, as on a busy broker: the
 * scorer must know its tasks' backlogs before their clocks may run, or inputs it has not read yet
 * count as idle and their records come late.
 */
function slowEndOffsets(log: RecordLog, delayMs: number): RecordLog {
  const admin = Object.create(log.admin) as RecordLog['admin'];
  admin.endOffsets = async (topic) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return log.admin.endOffsets(topic);
  };
  return {
    admin,
    producer: () => log.producer(),
    transactionalProducer: (id) => log.transactionalProducer(id),
    consumer: (options) => log.consumer(options),
    readToEnd: (from, onRecords) => log.readToEnd(from, onRecords),
    close: () => log.close(),
  };
}

describeBacktestEquivalence('in-memory log', () => createMemoryLog());
describeBacktestEquivalence('in-memory log with slow end offsets', () => slowEndOffsets(createMemoryLog(), 300));
