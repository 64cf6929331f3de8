// The fraud store's REST API over express 5, which passes rejected promises of async handlers to the
// error handler. The app takes a plain SqlClient, so the embedded database can stand in for PostgreSQL.
// The embedded mode mounts the same routes and health checks on its one server.
import express, { type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { SqlClient } from '../shared/db/migrate';
import { errorHandler, healthzHandler, notFound, unknownRoute, type HealthCheck } from '../shared/http';
import type { Logger } from '../shared/log';
import { metricsHandler } from '../shared/metrics';
import { OPENAPI_JSON } from './openapi';
import { parseAlertQuery, parseId, parseTimelineQuery } from './params';
import { accountTimeline, findAlerts, findTransaction } from './queries';

export interface FraudStoreAppOptions {
  readonly db: SqlClient;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** Whether the consumer is storing records; `/healthz` checks the database itself. */
  readonly consumerHealth: HealthCheck;
}

export function createFraudStoreApp({ db, logger, metrics, consumerHealth }: FraudStoreAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/api', fraudStoreApi(db));
  app.get('/healthz', healthzHandler(fraudStoreHealthChecks(db, consumerHealth)));
  app.get('/metrics', metricsHandler(metrics));

  app.use(unknownRoute);
  app.use(errorHandler(logger));
  return app;
}

/** The REST API's routes, relative to where they are mounted (`/api`). */
export function fraudStoreApi(db: SqlClient): Router {
  const api = express.Router();

  api.get('/alerts', async (req, res) => {
    res.json(await findAlerts(db, parseAlertQuery(req.query)));
  });

  api.get('/transactions/:id', async (req, res) => {
    const id = parseId('id', req.params.id);
    const detail = await findTransaction(db, id);
    if (!detail) throw notFound(`no scored transaction with id ${JSON.stringify(id)}`);
    res.json(detail);
  });

  api.get('/accounts/:id/timeline', async (req, res) => {
    res.json(await accountTimeline(db, parseTimelineQuery(req.params.id, req.query)));
  });

  api.get('/openapi.json', (_req, res) => {
    res.type('json').send(OPENAPI_JSON);
  });
  return api;
}

/** What `/healthz` checks for the store: the database answers, and the consumer stores records. */
export function fraudStoreHealthChecks(db: SqlClient, consumerHealth: HealthCheck): Record<string, HealthCheck> {
  return {
    database: async () => {
      await db.query('SELECT 1');
      return { ok: true };
    },
    consumer: consumerHealth,
  };
}
