// The fraud store's own metrics, registered on the service's registry (services/shared/metrics.ts).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface StoreMetrics {
  /** Rows inserted or changed, by table; a replay of stored records adds nothing. */
  readonly rowsWritten: Counter<'table'>;
  /** Batches committed to the database, by topic. */
  readonly batches: Counter<'topic'>;
  /** Records handled (stored or rejected) and committed, by topic. */
  readonly records: Counter<'topic'>;
  /** Records kept in store_rejects instead of the tables, by topic and reason. */
  readonly rejects: Counter<'topic' | 'reason'>;
  /** Batches put back because a dependency was unavailable: the database or, while decoding, the registry. */
  readonly retries: Counter<'dependency'>;
  /** 1 while consumption is paused for a dependency to return. */
  readonly paused: Gauge;
  /** Records behind the partition's end as of the last stored batch. */
  readonly lag: Gauge<'topic' | 'partition'>;
}

export function createStoreMetrics(registry: Registry): StoreMetrics {
  const registers = [registry];
  return {
    rowsWritten: new Counter({
      name: 'fraud_store_rows_written_total',
      help: 'Rows inserted or changed, by table',
      labelNames: ['table'],
      registers,
    }),
    batches: new Counter({ name: 'fraud_store_batches_total', help: 'Batches stored, by topic', labelNames: ['topic'], registers }),
    records: new Counter({
      name: 'fraud_store_records_total',
      help: 'Records handled (stored or rejected) and committed, by topic',
      labelNames: ['topic'],
      registers,
    }),
    rejects: new Counter({
      name: 'fraud_store_rejects_total',
      help: 'Records kept in store_rejects, by topic and reason',
      labelNames: ['topic', 'reason'],
      registers,
    }),
    retries: new Counter({
      name: 'fraud_store_retries_total',
      help: 'Batches retried because a dependency was unavailable',
      labelNames: ['dependency'],
      registers,
    }),
    paused: new Gauge({ name: 'fraud_store_consumer_paused', help: '1 while consumption waits for a dependency', registers }),
    lag: new Gauge({
      name: 'fraud_store_consumer_lag',
      help: 'Records behind the end of the partition after the last stored batch',
      labelNames: ['topic', 'partition'],
      registers,
    }),
  };
}
