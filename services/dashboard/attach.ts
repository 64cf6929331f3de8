// Mounts the dashboard on an express app and its http.Server: the static page at `/`, socket.io at
// `/socket.io` (which also serves the client script), and a consumer that feeds the live view. The
// host owns the app, the server, the log and the serde; main.ts is the standalone host, the embedded
// mode another one.
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { Server as SocketServer } from 'socket.io';
import type { HealthStatus } from '../shared/http';
import type { Logger } from '../shared/log';
import { createMetricsRegistry } from '../shared/metrics';
import type { AvroSerde } from '../shared/serde';
import type { RecordLog } from '../shared/stream';
import { Topics, type TopicNames } from '../shared/topics';
import { checkFlushMs, FLUSH_MS, UpdateBatcher } from './batcher';
import { DashboardIngest, DEFAULT_GROUP_ID } from './ingest';
import { LiveView, type LiveViewOptions } from './live-view';
import { createDashboardMetrics } from './metrics';
import { DashboardEvent } from './protocol';

/** The page: static files, no build step. */
const PAGE_DIR = join(__dirname, '..', '..', 'dashboard');

export interface DashboardOptions {
  readonly app: Express;
  /** The server `app` is served by; socket.io attaches to it. Attach before it starts listening. */
  readonly server: HttpServer;
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly logger: Logger;
  /** Default: the standard topic names. */
  readonly topics?: Pick<TopicNames, 'scored' | 'alerts'>;
  /** Default `peregrine-dashboard`. Every dashboard process needs a group of its own to see every partition. */
  readonly groupId?: string;
  /** Between updates, 100 to 250 ms; default 200. */
  readonly flushMs?: number;
  /** Where the dashboard's metrics go; by default a registry of its own (see `metrics` on the result). */
  readonly metrics?: Registry;
  readonly view?: Partial<LiveViewOptions>;
  /** Wall clock, for throughput and watermark lag. */
  readonly now?: () => number;
  /** The consumer stopped on an error it cannot recover from (never because of a record's contents). */
  readonly onCrash?: (error: Error) => void;
}

export interface AttachedDashboard {
  /**
   * Resolves once the consumer has joined its group (or the dashboard was closed first). If the
   * topics do not exist yet, it waits for them (the scorer creates them), so a host may attach the
   * dashboard before it starts the scorer. On Kafka the consumer finds the live end of each partition
   * just after joining: records produced in that moment may not be shown.
   */
  readonly ready: Promise<void>;
  readonly metrics: Registry;
  /** For the host's /healthz. */
  health(): HealthStatus;
  /**
   * Stops consuming and pushing and disconnects every browser; idempotent. Call it before closing the
   * http.Server, which open websockets would otherwise hold open. The server, log and serde stay open.
   */
  close(): Promise<void>;
}

export async function attachDashboard(options: DashboardOptions): Promise<AttachedDashboard> {
  const { app, server, log, serde, logger } = options;
  // Checked before anything is mounted on the host's app and server.
  const flushMs = checkFlushMs(options.flushMs ?? FLUSH_MS.default);
  const now = options.now ?? Date.now;
  const registry = options.metrics ?? createMetricsRegistry({ service: 'dashboard' });
  const metrics = createDashboardMetrics(registry);
  const view = new LiveView(options.view);

  app.use(express.static(PAGE_DIR));
  const io = new SocketServer(server);
  io.on('connection', (socket) => {
    metrics.clients.inc();
    socket.on('disconnect', () => metrics.clients.dec());
    socket.emit(DashboardEvent.Snapshot, view.snapshot(now()));
  });
  const batcher = new UpdateBatcher({
    flushMs,
    take: () => view.takeUpdate(now()),
    emit: (frame) => {
      // Taken all the same: what nobody saw as an update is in the next browser's snapshot.
      if (io.engine.clientsCount === 0) return;
      io.emit(DashboardEvent.Update, frame);
      metrics.updates.inc();
    },
  });
  batcher.start();

  const ingest = new DashboardIngest({
    log,
    serde,
    topics: options.topics ?? Topics,
    groupId: options.groupId ?? DEFAULT_GROUP_ID,
    view,
    metrics,
    logger,
    now,
    onCrash: options.onCrash,
  });
  const ready = ingest.start();
  // The host may never await `ready`; the failure is logged here and shows in health() either way.
  ready.catch((error: unknown) => logger.error({ err: error }, 'dashboard consumer did not start'));

  let closed: Promise<void> | undefined;
  return {
    ready,
    metrics: registry,
    health: () => ({ ok: ingest.state === 'running', detail: ingest.state }),
    close() {
      closed ??= (async () => {
        batcher.stop();
        await ingest.stop();
        // Not io.close(): that would close the host's http.Server too.
        io.disconnectSockets(true);
        io.engine.close();
      })();
      return closed;
    },
  };
}
