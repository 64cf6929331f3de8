// Prometheus metrics of a service: one registry per process (not prom-client's global one, so that
// tests can run several services side by side), the Node.js default metrics, and a `/metrics` handler.
import type { RequestHandler } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Added as a `service` label to every metric, so dashboards can tell the processes apart. */
  readonly service: string;
  /** Process metrics (CPU, heap, event-loop lag, GC); on by default. */
  readonly defaultMetrics?: boolean;
}

export function createMetricsRegistry({ service, defaultMetrics = true }: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Serves the registry in the Prometheus text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}
