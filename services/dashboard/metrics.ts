// The dashboard server's metrics, registered on the registry of the process that hosts it.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface DashboardMetrics {
  readonly clients: Gauge;
  readonly updates: Counter;
  /** Records shown, by topic. */
  readonly records: Counter<'topic'>;
  /** Records skipped, by topic and reason (a DecodeErrorCode or INVALID_VALUE). */
  readonly rejects: Counter<'topic' | 'reason'>;
}

export function createDashboardMetrics(registry: Registry): DashboardMetrics {
  const registers = [registry];
  return {
    clients: new Gauge({ name: 'dashboard_connected_clients', help: 'Browsers connected over socket.io', registers }),
    updates: new Counter({ name: 'dashboard_updates_total', help: 'Update frames broadcast to the connected clients', registers }),
    records: new Counter({ name: 'dashboard_records_total', help: 'Records consumed and shown, by topic', labelNames: ['topic'], registers }),
    rejects: new Counter({
      name: 'dashboard_rejects_total',
      help: 'Records consumed but skipped, by topic and reason',
      labelNames: ['topic', 'reason'],
      registers,
    }),
  };
}
