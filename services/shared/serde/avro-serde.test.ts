// The serde against the embedded registry, driven through the real @kafkajs/confluent-schema-registry
// client, with every decode failure a consumer has to tell apart.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Type, type Schema } from 'avsc';
import express from 'express';
import fc from 'fast-check';
import { createRegistryApp } from '../../registry/app';
import { createAvroSerde, type AvroSerde } from './avro-serde';
import { DecodeError, EncodeError, type DecodeErrorCode, type DecodeResult } from './errors';
import { frame } from './wire-format';

const orderSchema = (...extraFields: object[]): Schema => ({
  type: 'record',
  name: 'Order',
  namespace: 'test.serde',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['OPEN', 'PAID'] } },
    { name: 'note', type: ['null', 'string'], default: null },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Line',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'int' },
          ],
        },
      },
    },
    { name: 'tags', type: { type: 'map', values: 'string' }, default: {} },
    ...extraFields,
  ],
}) as Schema;
const orderV1 = orderSchema();
const orderV2 = orderSchema({ name: 'channel', type: 'string', default: 'web' });
const orderNeedingMerchant = orderSchema({ name: 'merchantId', type: 'string' });
const typeOf = (schema: Schema) => Type.forSchema(schema);

const order = {
  orderId: 'o-1',
  placedAt: 1_767_225_600_123,
  status: 'PAID',
  note: null,
  lines: [
    { sku: 'A-1', qty: 2 },
    { sku: 'B-7', qty: 1 },
  ],
  tags: { source: 'test' },
};

/** The embedded registry behind a switch that takes it down with 503s, counting schema fetches. */
interface TestRegistry {
  url: string;
  schemaFetches: number;
  down: boolean;
  close(): Promise<void>;
}

async function startTestRegistry(): Promise<TestRegistry> {
  const app = express();
  const state = { schemaFetches: 0, down: false };
  app.use((req, res, next) => {
    if (req.path.startsWith('/schemas/ids/')) state.schemaFetches += 1;
    if (state.down) res.status(503).json({ error_code: 50003, message: 'down for the test' });
    else next();
  });
  app.use(createRegistryApp());
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Retries would only slow the outage tests down: the serde reports, the caller retries. */
const clientOf = (url: string) => new SchemaRegistry({ host: url, retry: { retries: 0 } });

let registry: TestRegistry;
let producer: AvroSerde;
let v1Id: number;

beforeEach(async () => {
  registry = await startTestRegistry();
  producer = createAvroSerde({ registry: clientOf(registry.url) });
  v1Id = await producer.register('orders-value', orderV1);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await registry.close();
});

/** A serde with a cold cache, as in another process. */
const consumer = () => createAvroSerde({ registry: clientOf(registry.url) });

function expectFailure(result: DecodeResult, code: DecodeErrorCode): DecodeError {
  if (result.ok) throw new Error(`expected ${code}, decoded ${JSON.stringify(result.value)}`);
  expect(result.error).toBeInstanceOf(DecodeError);
  expect(result.error.code).toBe(code);
  expect(result.error.retriable).toBe(code === 'REGISTRY_UNAVAILABLE');
  expect(result.error.message).not.toMatch(/\n/);
  return result.error;
}

describe('encode and decode', () => {
  it('round-trips a record in the Confluent wire format, timestamps as epoch-ms numbers', async () => {
    const message = await producer.encode(v1Id, order);

    expect(message[0]).toBe(0);
    expect(message.readInt32BE(1)).toBe(v1Id);
    expect(message.subarray(5)).toEqual(typeOf(orderV1).toBuffer(order));
    await expect(consumer().decode(message)).resolves.toEqual({ ok: true, value: order, schemaId: v1Id });
  });

  it('interoperates with the client’s own encode and decode', async () => {
    const client = clientOf(registry.url);

    const fromClient = await client.encode(v1Id, order);
    const fromSerde = await producer.encode(v1Id, order);

    expect(fromSerde).toEqual(fromClient);
    await expect(client.decode(fromSerde)).resolves.toEqual(order);
  });

  it('registers idempotently', async () => {
    await expect(producer.register('orders-value', orderV1)).resolves.toBe(v1Id);
  });

  it('reads old records with a new reader schema and new records with an old one', async () => {
    const v2Id = await producer.register('orders-value', orderV2);
    const oldRecord = await producer.encode(v1Id, order);
    const newRecord = await producer.encode(v2Id, { ...order, channel: 'pos' });
    const serde = consumer();

    await expect(serde.decode(oldRecord, { readerSchema: typeOf(orderV2) })).resolves.toEqual({
      ok: true,
      value: { ...order, channel: 'web' },
      schemaId: v1Id,
    });
    await expect(serde.decode(newRecord, { readerSchema: typeOf(orderV1) })).resolves.toEqual({
      ok: true,
      value: order,
      schemaId: v2Id,
    });
  });

  it('fetches each writer schema and resolves each reader schema once, however many records', async () => {
    const message = await producer.encode(v1Id, order);
    const serde = consumer();
    const reader = typeOf(orderV2);
    // avsc types are frozen, so the spy sits on the prototype and counts calls on this reader only.
    const resolve = jest.spyOn(Type.prototype, 'createResolver');

    for (let i = 0; i < 50; i++) {
      expect((await serde.decode(message)).ok).toBe(true);
      expect((await serde.decode(message, { readerSchema: reader })).ok).toBe(true);
    }

    expect(registry.schemaFetches).toBe(1);
    expect(resolve.mock.contexts.filter((self) => self === reader)).toHaveLength(1);
  });

  it('asks the registry client once for a burst of records with a schema id it has not seen', async () => {
    const message = await producer.encode(v1Id, order);
    const client = clientOf(registry.url);
    const getSchema = jest.spyOn(client, 'getSchema');
    const serde = createAvroSerde({ registry: client });

    const burst = await Promise.all(Array.from({ length: 100 }, () => serde.decode(message)));

    expect(burst.every((r) => r.ok)).toBe(true);
    expect(getSchema).toHaveBeenCalledTimes(1);
  });

  it('refuses to encode a value that does not match, naming the offending fields', async () => {
    const bad = { ...order, status: 'LOST', lines: [order.lines[0], { sku: 'B-7', qty: '1' }] };

    const error = await producer.encode(v1Id, bad).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EncodeError);
    expect(error).toMatchObject({
      code: 'INVALID_VALUE',
      schemaId: v1Id,
      paths: ['status', 'lines.1.qty'],
      message:
        `value does not match schema id ${v1Id} (test.serde.Order): ` +
        'status: expected test.serde.Status, got "LOST"; lines.1.qty: expected int, got "1"',
    });
  });

  it('names a missing required field', async () => {
    const { orderId: _omitted, ...withoutId } = order;

    await expect(producer.encode(v1Id, withoutId)).rejects.toMatchObject({
      paths: ['orderId'],
      message: expect.stringContaining('orderId: expected string, got undefined'),
    });
  });

  it('refuses to encode with an unknown schema id, saying why', async () => {
    await expect(producer.encode(4242, order)).rejects.toMatchObject({
      message: 'cannot encode: schema id 4242 is unknown to the registry',
      cause: { code: 'UNKNOWN_SCHEMA_ID' },
    });
  });
});

describe('decode failures: each one resolves to a coded error', () => {
  /** A small schema whose bodies are easy to write by hand: enum, union, array of int. */
  const probe = {
    type: 'record',
    name: 'Probe',
    namespace: 'test.serde',
    fields: [
      { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['OPEN', 'PAID'] } },
      { name: 'note', type: ['null', 'string'] },
      { name: 'counts', type: { type: 'array', items: 'int' } },
    ],
  } as Schema;
  let probeId: number;
  const probeMessage = (...body: number[]) => frame(probeId, Buffer.from(body));

  beforeEach(async () => {
    probeId = await producer.register('probe-value', probe);
  });

  it('reads a hand-written probe body', async () => {
    await expect(consumer().decode(probeMessage(0x02, 0x02, 0x02, 0x61, 0x02, 0x06, 0x00))).resolves.toEqual({
      ok: true,
      value: { status: 'PAID', note: 'a', counts: [3] },
      schemaId: probeId,
    });
  });

  it.each<[string, Buffer | null, DecodeErrorCode]>([
    ['a tombstone (null value)', null, 'TRUNCATED'],
    ['an empty value', Buffer.alloc(0), 'TRUNCATED'],
    ['a header cut short', Buffer.from([0, 0, 0]), 'TRUNCATED'],
    ['JSON text', Buffer.from('{"orderId":"o-1"}'), 'BAD_MAGIC_BYTE'],
  ])('%s', async (_case, message, code) => {
    expectFailure(await consumer().decode(message), code);
  });

  it('an unknown schema id', async () => {
    const error = expectFailure(await consumer().decode(frame(4242, Buffer.from([0]))), 'UNKNOWN_SCHEMA_ID');

    expect(error.schemaId).toBe(4242);
    expect(error.message).toBe('schema id 4242 is unknown to the registry');
  });

  it('a body cut short', async () => {
    const message = await producer.encode(v1Id, order);

    const error = expectFailure(await consumer().decode(message.subarray(0, message.length - 1)), 'TRUNCATED');

    expect(error.schemaId).toBe(v1Id);
  });

  it('trailing garbage after the body', async () => {
    const message = await producer.encode(v1Id, order);

    const error = expectFailure(await consumer().decode(Buffer.concat([message, Buffer.from([1, 2])])), 'INVALID_BODY');

    expect(error.message).toBe(`2 trailing bytes after the Avro body (schema id ${v1Id})`);
  });

  it.each([
    ['an enum index out of range', [0x08, 0x00, 0x00]],
    ['a union branch out of range', [0x00, 0x06, 0x00]],
    ['a negative string length', [0x00, 0x02, 0x01, 0x00]],
  ])('%s', async (_case, body) => {
    expectFailure(await consumer().decode(probeMessage(...body)), 'INVALID_BODY');
  });

  it('an array claiming two billion items, without exhausting the heap', async () => {
    expectFailure(await consumer().decode(probeMessage(0x00, 0x00, 0xfe, 0xff, 0xff, 0xff, 0x0f)), 'TRUNCATED');
  });

  it('a reader schema that cannot read the writer’s', async () => {
    const message = await producer.encode(v1Id, order);
    const reader = typeOf(orderNeedingMerchant);
    const serde = consumer();

    for (let attempt = 0; attempt < 2; attempt++) {
      const error = expectFailure(await serde.decode(message, { readerSchema: reader }), 'INCOMPATIBLE_SCHEMA');
      expect(error.message).toBe(
        `reader schema test.serde.Order cannot read schema id ${v1Id}: ` +
          'no matching field for default-less test.serde.Order.merchantId',
      );
    }
  });

  it('valid Avro of another record type than the reader’s, told from an incompatible version', async () => {
    const message = producer.encode(probeId, { status: 'OPEN', note: null, counts: [] });
    const error = expectFailure(await consumer().decode(await message, { readerSchema: typeOf(orderSchema()) }), 'WRONG_RECORD_TYPE');
    expect(error.message).toBe(`schema id ${probeId} is test.serde.Probe, not test.serde.Order`);
  });

  it('a string that is not UTF-8, while a real U+FFFD reads as it is', async () => {
    const genuine = await producer.encode(probeId, { status: 'OPEN', note: 'caf\uFFFD', counts: [] });
    await expect(consumer().decode(genuine)).resolves.toMatchObject({ ok: true, value: { note: 'caf\uFFFD' } });
    // "café" in Latin-1: 0xe9 opens a three-byte sequence that never comes.
    const latin1 = probeMessage(0x00, 0x02, 0x08, 0x63, 0x61, 0x66, 0xe9, 0x00);
    const error = expectFailure(await consumer().decode(latin1), 'INVALID_UTF8');
    expect(error.message).toBe(`a string of the Avro body is not valid UTF-8 (schema id ${probeId})`);
  });

  it('a registry that refuses connections, which is retriable', async () => {
    const serde = createAvroSerde({ registry: clientOf(`http://127.0.0.1:${await unusedPort()}`) });

    const error = expectFailure(await serde.decode(frame(3, Buffer.from([0]))), 'REGISTRY_UNAVAILABLE');

    expect(error.schemaId).toBe(3);
    expect(error.message).toMatch(/^registry unavailable while fetching schema id 3: .*ECONNREFUSED/);
  });

  it('a registry answering 503, after which the same record decodes', async () => {
    const message = await producer.encode(v1Id, order);
    const serde = consumer();
    registry.down = true;

    expectFailure(await serde.decode(message), 'REGISTRY_UNAVAILABLE');

    registry.down = false;
    await expect(serde.decode(message)).resolves.toMatchObject({ ok: true, value: order });
  });

  it('a writer schema that is not Avro', async () => {
    const app = express().get('/schemas/ids/:id', (_req, res) => {
      res.json({ schema: '{"type":"object"}', schemaType: 'JSON' });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const serde = createAvroSerde({ registry: clientOf(`http://127.0.0.1:${port}`) });

      const error = expectFailure(await serde.decode(frame(7, Buffer.from([0]))), 'INCOMPATIBLE_SCHEMA');

      expect(error.message).toBe('schema id 7 is not an Avro schema');
    } finally {
      await closeServer(server);
    }
  });

  it('any bytes after a valid header: decoded or refused, never thrown', async () => {
    const serde = consumer();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (body) => {
        const result = await serde.decode(frame(v1Id, Buffer.from(body)));
        if (!result.ok) expect(['TRUNCATED', 'INVALID_BODY']).toContain(result.error.code);
      }),
      { numRuns: 500 },
    );
  });
});
