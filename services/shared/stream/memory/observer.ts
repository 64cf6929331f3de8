import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../log';
import type { StoreObserver } from './store';

/**
 * The memory log's retention made visible: what each topic holds and what it removed, on the
 * process's metrics, and every reset of a position that fell out of retention, logged and counted
 * (a consumer that lags by more than the retention loses records, and must not do so silently).
 */
export function observeMemoryLog(registry: Registry, logger: Logger | undefined, retained: () => Array<{ topic: string; bytes: number }>): StoreObserver {
  const registers = [registry];
  new Gauge({
    name: 'peregrine_log_retained_bytes',
    help: 'Bytes the in-memory log holds, by topic',
    labelNames: ['topic'],
    registers,
    collect() {
      this.reset();
      for (const { topic, bytes } of retained()) this.set({ topic }, bytes);
    },
  });
  const removed = new Counter({ name: 'peregrine_log_removed_records_total', help: 'Records the in-memory log removed, by topic and cause (retention-time, retention-bytes, compaction)', labelNames: ['topic', 'cause'], registers });
  const resets = new Counter({ name: 'peregrine_log_offset_resets_total', help: 'Consumer positions that fell out of the in-memory log\'s retention and were reset', labelNames: ['group', 'topic'], registers });
  return {
    removed(topic, cause, records) {
      removed.inc({ topic, cause }, records);
    },
    offsetReset(groupId, { topic, partition }, from, to) {
      resets.inc({ group: groupId, topic });
      logger?.warn({ groupId, topic, partition, from, to, lost: to - from }, 'position fell out of the log\'s retention: reset by the consumer\'s policy');
    },
  };
}
