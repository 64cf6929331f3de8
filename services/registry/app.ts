// The HTTP face of the embedded registry: the subset of Confluent Schema Registry's REST API that
// @kafkajs/confluent-schema-registry and the usual tooling call, with Confluent's media types and
// error bodies. The rules live in the store; this module only translates between HTTP and it.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../shared/log';
import { parseCompatibilityLevel } from './compatibility';
import { invalidSchema, invalidVersion, RegistryError, schemaNotFound } from './errors';
import { RegistryWriter } from './journal';
import type { SchemaStore, VersionRef } from './store';

export interface RegistryAppOptions {
  /** Receives server errors and, at debug level, one line per request. */
  logger?: Logger;
  /** The schemas it serves, written in memory; by default a new, empty store. */
  store?: SchemaStore;
  /** Writes its changes somewhere durable first (journal.ts); its store is the one served. */
  writer?: RegistryWriter;
}

const RESPONSE_MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json';
// The client sends its media type on every request, GETs included, and no Accept header.
const REQUEST_MEDIA_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];

export function createRegistryApp({ logger, store, writer = new RegistryWriter(store) }: RegistryAppOptions = {}): express.Express {
  const schemas = writer.store;
  const app = express();
  app.disable('x-powered-by');
  if (logger) app.use(logRequests(logger));
  app.use(negotiateMediaTypes);
  app.use(express.json({ type: REQUEST_MEDIA_TYPES }));

  app.get('/schemas/types', (_req, res) => {
    res.json(['AVRO']);
  });
  app.get('/schemas/ids/:id', (req, res) => {
    res.json({ schema: schemas.schemaText(parseSchemaId(req.params.id)) });
  });

  app.get('/subjects', (_req, res) => {
    res.json(schemas.subjects());
  });
  app.get('/subjects/:subject/versions', (req, res) => {
    res.json(schemas.versions(req.params.subject));
  });
  app.post('/subjects/:subject/versions', async (req, res) => {
    res.json({ id: await writer.register(req.params.subject, schemaTextOf(req.body)) });
  });
  app.get('/subjects/:subject/versions/:version', (req, res) => {
    res.json(schemas.version(req.params.subject, parseVersion(req.params.version)));
  });
  app.delete('/subjects/:subject/versions/:version', async (req, res) => {
    res.json(await writer.deleteVersion(req.params.subject, parseVersion(req.params.version)));
  });
  app.post('/subjects/:subject', (req, res) => {
    res.json(schemas.lookUp(req.params.subject, schemaTextOf(req.body)));
  });
  app.delete('/subjects/:subject', async (req, res) => {
    res.json(await writer.deleteSubject(req.params.subject));
  });

  app.get('/config', (_req, res) => {
    res.json({ compatibilityLevel: schemas.globalCompatibility() });
  });
  app.put('/config', async (req, res) => {
    const compatibility = parseCompatibilityLevel(req.body?.compatibility);
    await writer.setCompatibility(null, compatibility);
    res.json({ compatibility });
  });
  app.get('/config/:subject', (req, res) => {
    const subject = req.params.subject;
    const level =
      req.query.defaultToGlobal === 'true'
        ? schemas.effectiveCompatibility(subject)
        : schemas.configuredCompatibility(subject);
    res.json({ compatibilityLevel: level });
  });
  app.put('/config/:subject', async (req, res) => {
    const compatibility = parseCompatibilityLevel(req.body?.compatibility);
    await writer.setCompatibility(req.params.subject, compatibility);
    res.json({ compatibility });
  });

  app.post('/compatibility/subjects/:subject/versions/:version', (req, res) => {
    const problems = schemas.incompatibilities(
      req.params.subject,
      schemaTextOf(req.body),
      parseVersion(req.params.version),
    );
    res.json(problems.length === 0 ? { is_compatible: true } : { is_compatible: false, messages: problems });
  });

  app.use((_req, res) => {
    res.status(404).json({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = errorResponse(error);
    if (status >= 500) {
      logger?.error({ err: error, method: req.method, url: req.originalUrl }, 'registry request failed');
    }
    res.status(status).json(body);
  });
  return app;
}

function logRequests(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug({ method: req.method, url: req.originalUrl, status: res.statusCode, ms }, 'request');
    });
    next();
  };
}

function negotiateMediaTypes(req: Request, res: Response, next: NextFunction): void {
  res.type(RESPONSE_MEDIA_TYPE);
  // req.is() is null for a request without a body, false for a body of another type.
  if (req.is(REQUEST_MEDIA_TYPES) === false) {
    res.status(415).json({ error_code: 415, message: `Unsupported media type ${req.get('content-type') ?? '(none)'}` });
    return;
  }
  next();
}

function parseSchemaId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id)) throw schemaNotFound(text);
  return id;
}

// Confluent's VersionId: a positive 32-bit integer, or "latest", which -1 also means.
function parseVersion(text: string): VersionRef {
  if (text === 'latest' || text === '-1') return 'latest';
  const version = Number(text);
  if (!/^\d+$/.test(text) || version < 1 || version > 2 ** 31 - 1) throw invalidVersion(text);
  return version;
}

/** The schema text of a register, look-up or compatibility request. */
function schemaTextOf(body: unknown): string {
  const { schema, schemaType, references } = (body ?? {}) as Record<string, unknown>;
  if (schemaType !== undefined && schemaType !== null && schemaType !== 'AVRO') {
    throw invalidSchema(`this registry supports only AVRO schemas, not ${String(schemaType)}`);
  }
  if (Array.isArray(references) && references.length > 0) {
    throw invalidSchema('this registry does not support schema references; register self-contained schemas');
  }
  if (typeof schema !== 'string' || schema.trim() === '') throw invalidSchema('the request has no schema string');
  return schema;
}

function errorResponse(error: unknown): { status: number; body: { error_code: number; message: string } } {
  if (error instanceof RegistryError) {
    return { status: error.httpStatus, body: { error_code: error.errorCode, message: error.message } };
  }
  // body-parser's errors carry the HTTP status they mean; Confluent answers unparsable JSON with 400.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error_code: status, message: (error as Error).message } };
  }
  return { status: 500, body: { error_code: 500, message: 'Internal server error' } };
}
