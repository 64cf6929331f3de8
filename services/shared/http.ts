// HTTP plumbing every service shares: JSON errors with a stable code, `/healthz`, and a loopback
// listener that closes promptly. Routes stay in the services.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { PeregrineError } from './errors';
import type { Logger } from './log';

export const HttpErrorCode = {
  InvalidParameter: 'INVALID_PARAMETER',
  NotFound: 'NOT_FOUND',
  Internal: 'INTERNAL',
} as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

/** An error a route answers with: its status, a machine-readable code and, for 400, the parameter at fault. */
export class HttpError extends PeregrineError<HttpErrorCode> {
  readonly retriable = false;

  constructor(
    readonly status: number,
    code: HttpErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(code, message);
  }
}

export function invalidParameter(parameter: string, message: string): HttpError {
  return new HttpError(400, HttpErrorCode.InvalidParameter, message, parameter);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, HttpErrorCode.NotFound, message);
}

/** Answers a route nobody defined, in the same JSON shape as every other error. */
export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`no route for ${req.method} ${req.path}`);
};

/**
 * Renders errors as `{ error: { code, message, parameter? } }`. Unexpected errors are logged and
 * answered without their message, which may carry SQL or connection details.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, parameter: error.parameter } });
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(500).json({ error: { code: HttpErrorCode.Internal, message: 'internal error' } });
  };
}

export interface HealthStatus {
  readonly ok: boolean;
  readonly detail?: string;
}

/** Probes what a service needs to do its job; a probe that throws counts as failed, with the message as detail. */
export type HealthCheck = () => Promise<HealthStatus> | HealthStatus;

/** 200 when every check passes, 503 otherwise; the body names each check's state for the operator. */
export function healthzHandler(checks: Readonly<Record<string, HealthCheck>>): RequestHandler {
  return async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]): Promise<[string, HealthStatus]> => {
        try {
          return [name, await check()];
        } catch (error) {
          return [name, { ok: false, detail: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    const ok = results.every(([, status]) => status.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) });
  };
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8082 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0 picks a free one) and resolves once the server accepts connections. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return listenServer(createServer(app), port, host);
}

/** As `listen`, for a server that carries more than the app, such as socket.io, which attaches to the server. */
export async function listenServer(server: Server, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  server.listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}
