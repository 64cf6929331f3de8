// The dashboard mounted on a server of one's own, as docs/dashboard.md shows it (the region below;
// test/docs.test.ts keeps the page equal to it). The type check compiles it; attachDashboard's
// behaviour is tested in services/dashboard/attach.test.ts.
import type { Logger } from '../../services/shared/log';
import type { AvroSerde } from '../../services/shared/serde';
import type { RecordLog } from '../../services/shared/stream';
// #region mount
import { createServer } from 'node:http';
import express from 'express';
import { attachDashboard } from '../../services/dashboard';
import { listenServer } from '../../services/shared/http';

export async function serveDashboard(log: RecordLog, serde: AvroSerde, logger: Logger, port = 8084) {
  const app = express();
  const server = createServer(app);
  // Before the server listens: socket.io attaches to it.
  const dashboard = await attachDashboard({ app, server, log, serde, logger });
  const listening = await listenServer(server, port);
  await dashboard.ready; // consuming; it waits for the scorer to create the topics
  return {
    url: listening.url,
    async close() {
      await dashboard.close(); // first: open websockets would hold the server open
      await listening.close();
    },
  };
}
// #endregion mount
