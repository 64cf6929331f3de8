// The OpenAPI document against what the server does: it is a valid OpenAPI 3.1 document; its paths
// are exactly the app's express routes; its query parameters are those params.ts accepts, with its
// limits; its record schemas have the Avro records' fields; and the API's real answers, on PGlite,
// fit its response schemas. A route, parameter or field added on one side only fails here.
import Ajv2020 from 'ajv/dist/2020';
import type { Express } from 'express';
import type { SqlClient } from '../shared/db/migrate';
import { readSchemaFile, type Alert, type ScoredTransaction } from '../../schemas';
import { profile } from '../../cep/testing';
import { listen, type RunningServer } from '../shared/http';
import { createLogger } from '../shared/log';
import { createMetricsRegistry } from '../shared/metrics';
import type { LogRecord } from '../shared/stream';
import { createFraudStoreApp } from './api';
import { OPENAPI_JSON } from './openapi';
import { ALERT_QUERY_PARAMETERS, DEFAULT_LIMIT, MAX_LIMIT, TIMELINE_QUERY_PARAMETERS } from './params';
import { alertSink, scoredTransactionSink } from './sinks';
import { storeBatch } from './store-batch';
import { createTestDatabase, type TestDatabase } from './testing/database';
import { alertOf, ruleHit, scoredTransaction, T0 } from './testing/fixtures';

type Json = Record<string, unknown>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required?: boolean;
  readonly schema: Json;
  readonly example?: unknown;
}

interface Operation {
  readonly parameters?: (Parameter | { $ref: string })[];
  readonly responses: Record<string, Json>;
}

interface Document {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { parameters: Record<string, Parameter>; schemas: Record<string, Json> };
}

const doc = JSON.parse(OPENAPI_JSON) as Document;

/** `#/components/parameters/x` → the parameter; inline ones as they are. */
function parametersOf(operation: Operation): Parameter[] {
  return (operation.parameters ?? []).map((p) => ('$ref' in p ? doc.components.parameters[p.$ref.split('/').pop()!]! : p));
}

/** `#/components/schemas/X` → the schema, followed until it is not a reference. */
function resolve(schema: Json): Json {
  return typeof schema.$ref === 'string' ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]!) : schema;
}

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

/** Express's `/a/:id` as OpenAPI writes it, `/a/{id}`. */
const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  /** Where a router was mounted (router 2's Layer keeps it as given to `use`). */
  readonly rawPath?: string;
  readonly handle: { readonly stack?: Layer[] };
}

/** Every "METHOD /path" the app routes, through mounted routers. */
function routesOf(stack: readonly Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path, methods } = layer.route;
      return Object.keys(methods).map((method) => `${method.toUpperCase()} ${openApiPath(prefix + path)}`);
    }
    if (layer.handle.stack) {
      if (typeof layer.rawPath !== 'string') throw new Error('a mounted router without its path: has express changed how it keeps it?');
      return routesOf(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath));
    }
    return [];
  });
}

function app(db: SqlClient): Express {
  const logger = createLogger('openapi-test', 'silent');
  const metrics = createMetricsRegistry({ service: 'openapi-test', defaultMetrics: false });
  return createFraudStoreApp({ db, logger, metrics, consumerHealth: () => ({ ok: true, detail: 'running' }) });
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    // The official schema of OpenAPI 3.1 documents, as the validator package ships it; the package's
    // own entry point is an ES module that jest's CommonJS sandbox cannot load.
    const metaSchema = require('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json') as Json;
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(metaSchema);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('compiles every schema in strict mode, so a misspelt keyword fails', () => {
    const ajv = schemaValidator();
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.getSchema(`openapi#/components/schemas/${name}`)).not.toThrow();
  });

  it('has exactly the routes of the fraud store app', () => {
    const routes = routesOf((app({} as never) as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes).toContain('GET /api/alerts');
    expect([...routes].sort()).toEqual(operations.map(({ method, path }) => `${method} ${path}`).sort());
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s documents its path parameters', (_name, { path, operation }) => {
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const documented = parametersOf(operation).filter((p) => p.in === 'path');
    expect(documented.map((p) => p.name)).toEqual(inPath);
    for (const p of documented) expect(p.required).toBe(true);
  });

  it('gives each listing exactly the query parameters params.ts accepts', () => {
    const queryOf = (path: string) => parametersOf(doc.paths[path]!.get!).filter((p) => p.in === 'query').map((p) => p.name);
    expect(queryOf('/api/alerts')).toEqual([...ALERT_QUERY_PARAMETERS]);
    expect(queryOf('/api/accounts/{id}/timeline')).toEqual([...TIMELINE_QUERY_PARAMETERS]);
    for (const { path, operation } of operations) {
      if (!path.endsWith('/alerts') && !path.endsWith('/timeline')) expect(parametersOf(operation).filter((p) => p.in === 'query')).toEqual([]);
    }
    expect(doc.components.parameters.limit!.schema).toEqual({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT });
  });

  it("gives each record the fields of its Avro schema, every one required, and each enum the Avro symbols", () => {
    for (const file of ['Transaction', 'AccountProfile', 'RuleHit', 'ScoredTransaction', 'Alert'] as const) {
      for (const avro of namedTypes(readSchemaFile(file))) {
        const schema = doc.components.schemas[avro.name];
        expect([avro.name, schema !== undefined]).toEqual([avro.name, true]);
        if (avro.type === 'enum') {
          expect([avro.name, schema!.enum]).toEqual([avro.name, avro.symbols]);
        } else {
          const fields = avro.fields!.map((f) => f.name);
          expect([avro.name, Object.keys(schema!.properties as Json)]).toEqual([avro.name, fields]);
          expect([avro.name, schema!.required]).toEqual([avro.name, fields]);
          expect(schema!.additionalProperties).toBe(false);
          for (const field of avro.fields!) {
            const nullable = Array.isArray(field.type) && field.type.includes('null');
            expect([`${avro.name}.${field.name} nullable`, acceptsNull((schema!.properties as Record<string, Json>)[field.name]!)]).toEqual([
              `${avro.name}.${field.name} nullable`,
              nullable,
            ]);
          }
        }
      }
    }
  });
});

interface AvroNamed {
  readonly type: 'record' | 'enum';
  readonly name: string;
  readonly fields?: { name: string; type: unknown }[];
  readonly symbols?: string[];
}

/** The records and enums a schema file defines, nested ones included. */
function namedTypes(node: unknown): AvroNamed[] {
  if (Array.isArray(node)) return node.flatMap(namedTypes);
  if (typeof node !== 'object' || node === null) return [];
  const json = node as Json;
  const own = json.type === 'record' || json.type === 'enum' ? [json as unknown as AvroNamed] : [];
  const inner = [...((json.fields as Json[] | undefined) ?? []).map((f) => f.type), json.items, json.values, typeof json.type === 'object' ? json.type : undefined];
  return [...own, ...inner.flatMap(namedTypes)];
}

function acceptsNull(schema: Json): boolean {
  const resolved = resolve(schema);
  if (Array.isArray(resolved.oneOf)) return (resolved.oneOf as Json[]).some(acceptsNull);
  const type = resolved.type;
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}

/** Ajv on the whole document, strict: OpenAPI's own keywords are declared, everything else must be JSON Schema. */
function schemaValidator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary(['openapi', 'info', 'servers', 'tags', 'paths', 'components', 'discriminator', 'example']);
  ajv.addSchema(doc, 'openapi');
  return ajv;
}

describe('the API, answering on PGlite', () => {
  let testDb: TestDatabase;
  let server: RunningServer;
  const ajv = schemaValidator();

  // One transaction with a profile and features that are not null, one unknown account, and an alert.
  const known = scoredTransaction('tx-1', {
    eventTime: T0,
    profile: profile({ accountId: 'acc-1', updatedAt: T0 - 86_400_000 }),
    ruleHits: [ruleHit('velocity-burst')],
    decision: 'REVIEW',
  });
  known.features.account.msSincePrevious = 30_000;
  known.features.extra.msSincePreviousTransaction = 30_000;
  const unknown = scoredTransaction('tx-2', { eventTime: T0 + 1_000 });
  const alert: Alert = alertOf(known);
  const accountAlert: Alert = { ...alertOf(known, { alertId: 'acct:failed-logins:1' }), transactionId: null, cardId: null, amountMinor: null, currency: null };

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    const db = testDb.connect();
    const decoded = <T>(values: T[]) => values.map((value, i) => ({ record: { topic: 't', partition: 0, offset: String(i) } as LogRecord, value }));
    await storeBatch(db, scoredTransactionSink, decoded<ScoredTransaction>([known, unknown]), []);
    await storeBatch(db, alertSink, decoded([alert, accountAlert]), []);
    server = await listen(app(db), 0);
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  /** The path with its parameters filled from the document's examples, or from `values`. */
  function url(path: string, operation: Operation, values: Record<string, string> = {}): string {
    const query = new URLSearchParams();
    let filled = path;
    for (const p of parametersOf(operation)) {
      const value = values[p.name] ?? (p.example === undefined ? undefined : String(p.example));
      if (value === undefined) continue;
      if (p.in === 'path') filled = filled.replace(`{${p.name}}`, encodeURIComponent(value));
      else query.set(p.name, value);
    }
    const search = query.toString();
    return `${server.url}${filled}${search ? `?${search}` : ''}`;
  }

  /** A JSON pointer's escaping of one path segment. */
  const segment = (text: string) => text.replace(/~/g, '~0').replace(/\//g, '~1');

  /** GETs `target` and checks the status and the body against the operation's documented response for it. */
  async function answer(target: string, expected: { path: string; status: number }): Promise<unknown> {
    const res = await fetch(target);
    expect([target, res.status]).toEqual([target, expected.status]);
    let pointer = `#/paths/${segment(expected.path)}/get/responses/${expected.status}`;
    let response = doc.paths[expected.path]!.get!.responses[String(expected.status)];
    expect([target, response !== undefined]).toEqual([target, true]);
    if (typeof response!.$ref === 'string') {
      pointer = response!.$ref;
      response = (doc.components as unknown as { responses: Record<string, Json> }).responses[pointer.split('/').pop()!];
    }
    const [mediaType] = Object.keys(response!.content as Json);
    expect(res.headers.get('content-type')).toContain(mediaType);
    const body: unknown = mediaType === 'application/json' ? await res.json() : await res.text();
    // Compiled where it sits in the document, so that its references resolve against the document.
    const validate = ajv.getSchema(`openapi${pointer}/content/${segment(mediaType!)}/schema`)!;
    expect(validate(body) ? [] : validate.errors).toEqual([]);
    return body;
  }

  it('serves the document at /api/openapi.json, byte for byte', async () => {
    const res = await fetch(`${server.url}/api/openapi.json`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toBe(OPENAPI_JSON);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s answers 200 to the documented examples, in the documented shape',
    async (_name, { path, operation }) => {
      // Examples name records the tests cannot know; the ids of the stored ones stand in for them.
      const ids: Record<string, string> = path.startsWith('/api/transactions') ? { id: 'tx-1' } : path.startsWith('/api/accounts') ? { id: 'acc-1' } : {};
      await answer(url(path, operation, ids), { path, status: 200 });
    },
  );

  it('returns every stored record in the documented shape', async () => {
    const alerts = '/api/alerts';
    const page = (await answer(`${server.url}${alerts}?limit=1`, { path: alerts, status: 200 })) as { nextCursor: string };
    await answer(`${server.url}${alerts}?cursor=${page.nextCursor}`, { path: alerts, status: 200 });
    for (const id of ['tx-1', 'tx-2']) await answer(`${server.url}/api/transactions/${id}`, { path: '/api/transactions/{id}', status: 200 });
    const timeline = (await answer(`${server.url}/api/accounts/acc-1/timeline`, { path: '/api/accounts/{id}/timeline', status: 200 })) as {
      items: { type: string }[];
    };
    expect(new Set(timeline.items.map((e) => e.type))).toEqual(new Set(['transaction', 'alert']));
  });

  it('accepts every documented value of an enum parameter and refuses what the schema refuses', async () => {
    const alerts = '/api/alerts';
    for (const decision of resolve(doc.components.parameters.decision!.schema).enum as string[]) {
      await answer(`${server.url}${alerts}?decision=${decision}`, { path: alerts, status: 200 });
    }
    const { minimum, maximum } = doc.components.parameters.limit!.schema as { minimum: number; maximum: number };
    for (const limit of [minimum, maximum]) await answer(`${server.url}${alerts}?limit=${limit}`, { path: alerts, status: 200 });
    for (const limit of [minimum - 1, maximum + 1]) await answer(`${server.url}${alerts}?limit=${limit}`, { path: alerts, status: 400 });
    await answer(`${server.url}${alerts}?decision=MAYBE`, { path: alerts, status: 400 });
  });

  it('answers the documented errors in the documented shape', async () => {
    await answer(`${server.url}/api/transactions/nope`, { path: '/api/transactions/{id}', status: 404 });
    await answer(`${server.url}/api/transactions/tx%0A1`, { path: '/api/transactions/{id}', status: 400 });
    // A parameter the alerts accept is unknown to the timeline, and refused.
    await answer(`${server.url}/api/accounts/acc-1/timeline?decision=REVIEW`, { path: '/api/accounts/{id}/timeline', status: 400 });
  });
});
