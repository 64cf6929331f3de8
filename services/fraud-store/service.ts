// The fraud store as a whole: the consumer that fills the database and the HTTP server that reads it.
// main.ts builds the clients from the environment; tests build them around their own database and log.
import type { Registry } from 'prom-client';
import { listen, type HealthStatus } from '../shared/http';
import type { Logger } from '../shared/log';
import { createMetricsRegistry } from '../shared/metrics';
import type { AvroSerde } from '../shared/serde';
import type { RecordLog } from '../shared/stream';
import { createFraudStoreApp } from './api';
import type { BackoffOptions } from './backoff';
import type { StoreDatabase } from './database';
import { StoreIngest, type IngestState } from './ingest';
import { createStoreMetrics } from './metrics';
import { startRetention, type StoreRetention } from './retention';

export interface FraudStoreOptions {
  readonly db: StoreDatabase;
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly logger: Logger;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly groupId?: string;
  readonly topics?: { readonly scored: string; readonly alerts: string };
  readonly backoff?: BackoffOptions;
  /** How often to look again for topics that do not exist yet (the scorer creates them). */
  readonly topicPollMs?: number;
  readonly onCrash?: (error: Error) => void;
  /** Runs the retention policy on `db` (a PostgreSQL server: it vacuums itself); none when absent. */
  readonly retention?: StoreRetention;
}

export interface RunningFraudStore {
  readonly url: string;
  readonly ingest: StoreIngest;
  readonly metrics: Registry;
  /**
   * Stops consuming, then stops serving; idempotent. The database handle and the log stay open: their
   * owner closes them.
   */
  close(): Promise<void>;
}

export async function startFraudStore(options: FraudStoreOptions): Promise<RunningFraudStore> {
  const { db, logger } = options;
  const metrics = createMetricsRegistry({ service: 'fraud-store' });
  const ingest = new StoreIngest({ ...options, metrics: createStoreMetrics(metrics) });
  const app = createFraudStoreApp({ db, logger, metrics, consumerHealth: () => consumerHealth(ingest.state) });
  // Serve first, so /healthz answers (unavailable) while the consumer joins its group.
  const server = await listen(app, options.port, options.host);
  try {
    await ingest.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  const retention = options.retention && startRetention({ db, retention: options.retention, reclaim: false, metrics, logger });
  let closed: Promise<void> | undefined;
  return {
    url: server.url,
    ingest,
    metrics,
    close() {
      closed ??= (async () => {
        await retention?.stop();
        await ingest.stop();
        await server.close();
      })();
      return closed;
    },
  };
}

/** The consumer's health as `/healthz` reports it. */
export function consumerHealth(state: IngestState): HealthStatus {
  if (state === 'paused') return { ok: false, detail: 'paused: waiting for the database or the schema registry' };
  return { ok: state === 'running', detail: state };
}
