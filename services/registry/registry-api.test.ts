// Contract of the embedded registry: driven by the real @kafkajs/confluent-schema-registry client
// where the client has a method for it, and by plain HTTP for the rest of Confluent's REST surface.
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { startRegistryServer, type RunningRegistry } from './server';

const MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json';

const payment = (...extraFields: object[]) => ({
  type: 'record' as const,
  name: 'Payment',
  namespace: 'test.registry',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amountMinor', type: 'long' },
    ...extraFields,
  ],
});

const paymentV1 = payment();
/** Backward and forward compatible with v1: the new field has a default. */
const paymentV2 = payment({ name: 'channel', type: 'string', default: 'web' });
/** Cannot read v1 data: the new field has no default. */
const paymentWithoutDefault = payment({ name: 'merchantId', type: 'string' });

let registry: RunningRegistry;
let client: SchemaRegistry;

beforeEach(async () => {
  registry = await startRegistryServer({ port: 0 });
  client = new SchemaRegistry({ host: registry.url });
});

afterEach(async () => {
  await registry.close();
});

interface ApiResponse {
  status: number;
  contentType: string | null;
  body: unknown;
}

async function api(method: string, path: string, body?: unknown, contentType = MEDIA_TYPE): Promise<ApiResponse> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'Content-Type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

const schemaBody = (schema: object) => ({ schema: JSON.stringify(schema) });

describe('with the @kafkajs/confluent-schema-registry client', () => {
  it('registers, encodes and decodes in the Confluent wire format', async () => {
    const { id } = await client.register(paymentV1, { subject: 'payments-value' });

    const encoded = await client.encode(id, { id: 'tx-1', amountMinor: 1250 });

    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    const freshClient = new SchemaRegistry({ host: registry.url });
    await expect(freshClient.decode(encoded)).resolves.toEqual({ id: 'tx-1', amountMinor: 1250 });
  });

  it('gives the same id when the same schema is registered again', async () => {
    const first = await client.register(paymentV1, { subject: 'payments-value' });
    const again = await new SchemaRegistry({ host: registry.url }).register(paymentV1, { subject: 'payments-value' });

    expect(again.id).toBe(first.id);
    expect((await api('GET', '/subjects/payments-value/versions')).body).toEqual([1]);
  });

  it('evolves to a backward-compatible version 2 that old and new readers both read', async () => {
    const v1 = await client.register(paymentV1, { subject: 'payments-value' });
    const v2 = await client.register(paymentV2, { subject: 'payments-value' });
    const oldRecord = await client.encode(v1.id, { id: 'tx-1', amountMinor: 100 });
    const newRecord = await client.encode(v2.id, { id: 'tx-2', amountMinor: 200, channel: 'pos' });

    expect(v2.id).not.toBe(v1.id);
    expect(await client.getRegistryId('payments-value', 2)).toBe(v2.id);
    expect(await client.getLatestSchemaId('payments-value')).toBe(v2.id);
    const asV2 = { [SchemaType.AVRO]: { readerSchema: paymentV2 } };
    const asV1 = { [SchemaType.AVRO]: { readerSchema: paymentV1 } };
    await expect(client.decode(oldRecord, asV2)).resolves.toEqual({ id: 'tx-1', amountMinor: 100, channel: 'web' });
    await expect(client.decode(newRecord, asV1)).resolves.toEqual({ id: 'tx-2', amountMinor: 200 });
  });

  it('rejects an incompatible schema with 409', async () => {
    await client.register(paymentV1, { subject: 'payments-value' });

    await expect(client.register(paymentWithoutDefault, { subject: 'payments-value' })).rejects.toMatchObject({
      status: 409,
    });
    const raw = await api('POST', '/subjects/payments-value/versions', schemaBody(paymentWithoutDefault));
    expect(raw.status).toBe(409);
    expect(raw.body).toEqual({
      error_code: 40901,
      message: expect.stringContaining('no matching field for default-less test.registry.Payment.merchantId'),
    });
    expect((await api('GET', '/subjects/payments-value/versions')).body).toEqual([1]);
  });

  it('stores the compatibility the client asks for on the first registration of a subject', async () => {
    await client.register(paymentV1, { subject: 'payments-value', compatibility: COMPATIBILITY.FULL });

    expect((await api('GET', '/config/payments-value')).body).toEqual({ compatibilityLevel: 'FULL' });
  });

  it('finds the id of a registered schema by subject and schema', async () => {
    const { id } = await client.register(paymentV1, { subject: 'payments-value' });

    await expect(client.getRegistryIdBySchema('payments-value', paymentV1)).resolves.toBe(id);
    await expect(client.getRegistryIdBySchema('payments-value', paymentV2)).rejects.toThrow('Schema not found');
  });

  it('reports an unknown schema id as a 404', async () => {
    await expect(client.getSchema(4242)).rejects.toMatchObject({ status: 404 });
  });
});

describe('schemas and ids', () => {
  it('treats texts that differ only in whitespace and key order as one schema', async () => {
    const compact = await api('POST', '/subjects/a/versions', { schema: JSON.stringify(paymentV1) });
    const reordered = { fields: paymentV1.fields, namespace: 'test.registry', name: 'Payment', type: 'record' };
    const spaced = await api('POST', '/subjects/a/versions', { schema: JSON.stringify(reordered, null, 2) });

    expect(spaced.body).toEqual(compact.body);
    expect((await api('GET', '/subjects/a/versions')).body).toEqual([1]);
  });

  it('keeps a schema that only adds a default distinct from its predecessor', async () => {
    const [id] = paymentV1.fields;
    const withDefault = { ...paymentV1, fields: [id, { name: 'amountMinor', type: 'long', default: 0 }] };
    const first = await api('POST', '/subjects/a/versions', schemaBody(paymentV1));
    const second = await api('POST', '/subjects/a/versions', schemaBody(withDefault));

    expect(second.body).not.toEqual(first.body);
    expect((await api('GET', '/subjects/a/versions')).body).toEqual([1, 2]);
  });

  it('reuses the id when the same schema is registered under another subject', async () => {
    const inA = await api('POST', '/subjects/a/versions', schemaBody(paymentV1));
    const inB = await api('POST', '/subjects/b/versions', schemaBody(paymentV1));

    expect(inB.body).toEqual(inA.body);
    expect((await api('GET', '/subjects/b/versions/latest')).body).toMatchObject({ subject: 'b', version: 1 });
  });

  it('serves a schema by id as first registered', async () => {
    const text = JSON.stringify(paymentV1, null, 1);
    const { body } = await api('POST', '/subjects/a/versions', { schema: text });

    const fetched = await api('GET', `/schemas/ids/${(body as { id: number }).id}`);

    expect(fetched).toEqual({ status: 200, contentType: expect.stringContaining(MEDIA_TYPE), body: { schema: text } });
  });

  it('answers 404 with 40403 for an unknown or malformed id', async () => {
    expect(await api('GET', '/schemas/ids/77')).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await api('GET', '/schemas/ids/abc')).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it('supports only AVRO', async () => {
    expect((await api('GET', '/schemas/types')).body).toEqual(['AVRO']);
    const json = await api('POST', '/subjects/a/versions', { schema: '{"type":"object"}', schemaType: 'JSON' });
    expect(json.status).toBe(422);
    expect(json.body).toEqual({ error_code: 42201, message: expect.stringContaining('only AVRO') });
  });

  it.each([
    ['text that is not JSON', { schema: '{"type": "record",' }],
    ['an unknown type', { schema: '{"type": "decimal128"}' }],
    ['an anonymous record', { schema: '{"type": "record", "fields": []}' }],
    ['no schema', {}],
    ['schema references', { schema: '"string"', references: [{ name: 'X', subject: 'x', version: 1 }] }],
  ])('rejects %s with 42201', async (_case, body) => {
    const response = await api('POST', '/subjects/a/versions', body);

    expect(response).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect((await api('GET', '/subjects')).body).toEqual([]);
  });
});

describe('subjects and versions', () => {
  beforeEach(async () => {
    await api('POST', '/subjects/payments-value/versions', schemaBody(paymentV1));
    await api('POST', '/subjects/payments-value/versions', schemaBody(paymentV2));
    await api('POST', '/subjects/accounts-value/versions', schemaBody(paymentV1));
  });

  it('lists subjects and their versions', async () => {
    expect((await api('GET', '/subjects')).body).toEqual(['accounts-value', 'payments-value']);
    expect((await api('GET', '/subjects/payments-value/versions')).body).toEqual([1, 2]);
  });

  it('serves a version by number, by "latest" and by -1', async () => {
    const v2 = { subject: 'payments-value', version: 2, id: 2, schema: JSON.stringify(paymentV2) };

    expect((await api('GET', '/subjects/payments-value/versions/1')).body).toMatchObject({ version: 1, id: 1 });
    expect((await api('GET', '/subjects/payments-value/versions/latest')).body).toEqual(v2);
    expect((await api('GET', '/subjects/payments-value/versions/-1')).body).toEqual(v2);
  });

  it('looks a schema up in a subject', async () => {
    const found = await api('POST', '/subjects/payments-value', schemaBody(paymentV2));
    const missing = await api('POST', '/subjects/payments-value', schemaBody(paymentWithoutDefault));

    expect(found.body).toEqual({ subject: 'payments-value', version: 2, id: 2, schema: JSON.stringify(paymentV2) });
    expect(missing).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it.each([
    ['GET', '/subjects/nobody/versions', 404, 40401],
    ['GET', '/subjects/nobody/versions/latest', 404, 40401],
    ['GET', '/subjects/payments-value/versions/3', 404, 40402],
    ['GET', '/subjects/payments-value/versions/0', 422, 42202],
    ['GET', '/subjects/payments-value/versions/two', 422, 42202],
    ['POST', '/subjects/nobody', 404, 40401],
    ['DELETE', '/subjects/nobody', 404, 40401],
  ])('%s %s answers %i with error_code %i', async (method, path, status, errorCode) => {
    const response = await api(method, path, method === 'POST' ? schemaBody(paymentV1) : undefined);

    expect(response).toEqual({
      status,
      contentType: expect.stringContaining(MEDIA_TYPE),
      body: { error_code: errorCode, message: expect.any(String) },
    });
  });

  it('deletes a version without reusing its number', async () => {
    expect((await api('DELETE', '/subjects/payments-value/versions/2')).body).toBe(2);
    expect((await api('GET', '/subjects/payments-value/versions')).body).toEqual([1]);

    await api('POST', '/subjects/payments-value/versions', schemaBody(paymentV2));

    expect((await api('GET', '/subjects/payments-value/versions')).body).toEqual([1, 3]);
  });

  it('deletes a subject while its schema ids stay resolvable for records already written', async () => {
    expect((await api('DELETE', '/subjects/payments-value')).body).toEqual([1, 2]);

    expect((await api('GET', '/subjects')).body).toEqual(['accounts-value']);
    expect((await api('GET', '/schemas/ids/2')).body).toEqual({ schema: JSON.stringify(paymentV2) });
  });
});

describe('compatibility configuration', () => {
  it('answers 404 with 40408 for a subject without its own level, unless asked to fall back', async () => {
    expect(await api('GET', '/config/fresh-value')).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect(await api('GET', '/config/fresh-value?defaultToGlobal=true')).toMatchObject({
      status: 200,
      body: { compatibilityLevel: 'BACKWARD' },
    });
  });

  it('sets the global level, which subjects without their own level follow', async () => {
    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });

    expect((await api('PUT', '/config', { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });

    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'NONE' });
    await api('POST', '/subjects/a/versions', schemaBody(paymentV1));
    expect((await api('POST', '/subjects/a/versions', schemaBody(paymentWithoutDefault))).status).toBe(200);
  });

  it('sets a subject level in any case, which overrides the global level', async () => {
    expect((await api('PUT', '/config/a', { compatibility: 'forward' })).body).toEqual({ compatibility: 'FORWARD' });
    await api('PUT', '/config', { compatibility: 'NONE' });

    expect((await api('GET', '/config/a')).body).toEqual({ compatibilityLevel: 'FORWARD' });
    await api('POST', '/subjects/a/versions', schemaBody(paymentWithoutDefault));
    // Forward: the old schema must read the new one's data, which lacks merchantId.
    expect((await api('POST', '/subjects/a/versions', schemaBody(paymentV1))).status).toBe(409);
  });

  it.each(['/config', '/config/a'])('rejects an unknown level on %s with 42203', async (path) => {
    expect(await api('PUT', path, { compatibility: 'SIDEWAYS' })).toMatchObject({
      status: 422,
      body: { error_code: 42203 },
    });
  });
});

describe('compatibility checks', () => {
  beforeEach(async () => {
    await api('POST', '/subjects/payments-value/versions', schemaBody(paymentV1));
  });

  it('says whether a schema could follow the latest version', async () => {
    const check = '/compatibility/subjects/payments-value/versions/latest';
    const compatible = await api('POST', check, schemaBody(paymentV2));
    const incompatible = await api('POST', check, schemaBody(paymentWithoutDefault));

    expect(compatible.body).toEqual({ is_compatible: true });
    expect(incompatible.body).toEqual({
      is_compatible: false,
      messages: [expect.stringContaining('cannot read data written with version 1')],
    });
    expect((await api('GET', '/subjects/payments-value/versions')).body).toEqual([1]);
  });

  it('checks against one given version', async () => {
    await api('PUT', '/config/payments-value', { compatibility: 'NONE' });
    await api('POST', '/subjects/payments-value/versions', schemaBody(paymentWithoutDefault));
    await api('PUT', '/config/payments-value', { compatibility: 'BACKWARD' });

    const check = (version: number) =>
      api('POST', `/compatibility/subjects/payments-value/versions/${version}`, schemaBody(paymentWithoutDefault));
    const againstV1 = await check(1);
    const againstV2 = await check(2);

    expect(againstV1.body).toMatchObject({ is_compatible: false });
    expect(againstV2.body).toEqual({ is_compatible: true });
  });

  it('answers 404 for an unknown subject or version', async () => {
    const body = schemaBody(paymentV2);
    expect(await api('POST', '/compatibility/subjects/nobody/versions/latest', body)).toMatchObject({
      status: 404,
      body: { error_code: 40401 },
    });
    expect(await api('POST', '/compatibility/subjects/payments-value/versions/9', body)).toMatchObject({
      status: 404,
      body: { error_code: 40402 },
    });
  });
});

describe('HTTP', () => {
  it.each([
    'application/vnd.schemaregistry.v1+json',
    'application/vnd.schemaregistry+json',
    'application/json',
    'application/octet-stream',
  ])('accepts request bodies of type %s', async (contentType) => {
    const response = await api('POST', '/subjects/a/versions', schemaBody(paymentV1), contentType);

    expect(response).toEqual({ status: 200, contentType: expect.stringContaining(MEDIA_TYPE), body: { id: 1 } });
  });

  it('refuses other media types with 415', async () => {
    const response = await api('POST', '/subjects/a/versions', 'schema=x', 'application/x-www-form-urlencoded');

    expect(response).toMatchObject({ status: 415, body: { error_code: 415 } });
  });

  it('answers a body that is not JSON with 400, as Confluent does', async () => {
    const response = await api('POST', '/subjects/a/versions', '{"schema": ');

    expect(response).toMatchObject({ status: 400, body: { error_code: 400, message: expect.any(String) } });
  });

  it('answers an unknown path with a Confluent error body', async () => {
    expect(await api('GET', '/no/such/path')).toMatchObject({ status: 404, body: { error_code: 404 } });
  });
});
