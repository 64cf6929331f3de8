// The Avro serde of every service: registers schemas, frames values in the Confluent wire format and
// decodes records without ever throwing, so that a consumer can give each failure a defined outcome.
// The registry client fetches schemas; bodies are read by avsc directly, through cached readers, since
// going through the client for every record would resolve the reader schema again each time.
import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Type, type Schema } from 'avsc';
import { createBodyReader, type BodyReader } from './body-reader';
import {
  DecodeError,
  DecodeErrorCode,
  EncodeError,
  decodeFailure,
  describeCause,
  type DecodeResult,
} from './errors';
import { frame, readSchemaId } from './wire-format';

export interface AvroSerdeOptions {
  /**
   * The client that registers and fetches schemas. Build it without avsc logical types so that
   * timestamps stay epoch-millisecond numbers.
   */
  registry: SchemaRegistry;
}

export interface DecodeOptions {
  /** Read every record as this type, resolving it from the writer's schema; by default, as written. */
  readerSchema?: Type;
}

export interface AvroSerde {
  /** Registers `schema` under `subject` (idempotent) and returns its schema id. */
  register(subject: string, schema: Schema): Promise<number>;
  /**
   * Frames `value` as Avro of schema `schemaId`. Throws EncodeError, naming the offending fields, when
   * the value does not match the schema, and an Error whose cause is a DecodeError when the schema
   * cannot be fetched (its `retriable` tells a registry outage from an unknown id).
   */
  encode(schemaId: number, value: unknown): Promise<Buffer>;
  /** Never throws: a record that cannot be decoded yields `{ ok: false, error }`. */
  decode<T = unknown>(message: Buffer | null, options?: DecodeOptions): Promise<DecodeResult<T>>;
}

export function createAvroSerde({ registry }: AvroSerdeOptions): AvroSerde {
  const writerTypes = new Map<number, Type>();
  const readersAsWritten = new Map<number, BodyReader | DecodeError>();
  const readersByReaderType = new WeakMap<Type, Map<number, BodyReader | DecodeError>>();

  /**
   * Lookups in flight. The registry client builds a schema afresh on every call, cached or not (20,000
   * concurrent decodes of a new id took 26 s), so a burst of records with a new id asks it once.
   */
  const lookups = new Map<number, Promise<Type | DecodeError>>();

  /** The schema `schemaId` as an avsc type, or why it is not available; failures are not cached. */
  function writerType(schemaId: number): Promise<Type | DecodeError> {
    const known = writerTypes.get(schemaId);
    if (known) return Promise.resolve(known);
    let lookup = lookups.get(schemaId);
    if (!lookup) {
      lookup = fetchWriterType(schemaId).finally(() => lookups.delete(schemaId));
      lookups.set(schemaId, lookup);
    }
    return lookup;
  }

  async function fetchWriterType(schemaId: number): Promise<Type | DecodeError> {
    let schema: unknown;
    try {
      schema = await registry.getSchema(schemaId);
    } catch (cause) {
      return lookupFailure(schemaId, cause);
    }
    if (!isAvroType(schema)) {
      return new DecodeError(DecodeErrorCode.INCOMPATIBLE_SCHEMA, `schema id ${schemaId} is not an Avro schema`, {
        schemaId,
      });
    }
    writerTypes.set(schemaId, schema);
    return schema;
  }

  /** Reads, resolves and guards the writer schema; only on the first record of each (schema id, reader). */
  async function createReader(
    schemaId: number,
    readerSchema: Type | undefined,
    readers: Map<number, BodyReader | DecodeError>,
  ): Promise<BodyReader | DecodeError> {
    const writer = await writerType(schemaId);
    if (writer instanceof DecodeError) return writer;
    const created = createBodyReader(schemaId, writer, readerSchema);
    readers.set(schemaId, created);
    return created;
  }

  function readersOf(readerSchema: Type | undefined): Map<number, BodyReader | DecodeError> {
    if (!readerSchema) return readersAsWritten;
    let readers = readersByReaderType.get(readerSchema);
    if (!readers) {
      readers = new Map();
      readersByReaderType.set(readerSchema, readers);
    }
    return readers;
  }

  return {
    async register(subject, schema) {
      const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
      return id;
    },

    async encode(schemaId, value) {
      const writer = await writerType(schemaId);
      if (writer instanceof DecodeError) {
        throw new Error(`cannot encode: ${writer.message}`, { cause: writer });
      }
      return frame(schemaId, serialize(writer, schemaId, value));
    },

    async decode<T>(message: Buffer | null, options: DecodeOptions = {}): Promise<DecodeResult<T>> {
      if (message === null) {
        return decodeFailure(new DecodeError(DecodeErrorCode.TRUNCATED, 'no value (a tombstone): nothing to decode'));
      }
      const schemaId = readSchemaId(message);
      if (schemaId instanceof DecodeError) return decodeFailure(schemaId);
      const readers = readersOf(options.readerSchema);
      const read = readers.get(schemaId) ?? (await createReader(schemaId, options.readerSchema, readers));
      if (read instanceof DecodeError) return decodeFailure(read);
      return read(message) as DecodeResult<T>;
    },
  };
}

function isAvroType(schema: unknown): schema is Type {
  return Type.isType(schema);
}

// The client turns every transport failure (refused, reset, timed out) into an error that carries an
// HTTP-like status, as it does for real HTTP errors. So: 404 means the registry does not know the id;
// any other status means it could not be asked; no status means the fetched schema did not parse.
function lookupFailure(schemaId: number, cause: unknown): DecodeError {
  const status = (cause as { status?: unknown } | null)?.status;
  if (status === 404) {
    return new DecodeError(DecodeErrorCode.UNKNOWN_SCHEMA_ID, `schema id ${schemaId} is unknown to the registry`, {
      schemaId,
      cause,
    });
  }
  if (typeof status === 'number') {
    return new DecodeError(
      DecodeErrorCode.REGISTRY_UNAVAILABLE,
      `registry unavailable while fetching schema id ${schemaId}: ${describeCause(cause)}`,
      { schemaId, cause },
    );
  }
  return new DecodeError(
    DecodeErrorCode.INCOMPATIBLE_SCHEMA,
    `schema id ${schemaId} is not a usable Avro schema: ${describeCause(cause)}`,
    { schemaId, cause },
  );
}

// Encoding is tried first because a valid value, the common case, then needs a single pass; avsc
// rejects every invalid value while writing, and isValid only runs afterwards to name the fields.
function serialize(type: Type, schemaId: number, value: unknown): Buffer {
  try {
    return type.toBuffer(value);
  } catch (cause) {
    const paths: string[] = [];
    const problems: string[] = [];
    type.isValid(value, {
      errorHook: (path, badValue, expected) => {
        const field = path.join('.');
        paths.push(field);
        problems.push(`${field || '(root)'}: expected ${expected.name ?? expected.typeName}, got ${show(badValue)}`);
      },
    });
    const reason = problems.length > 0 ? problems.join('; ') : describeCause(cause);
    const message = `value does not match schema id ${schemaId} (${type.name ?? type.typeName}): ${reason}`;
    throw new EncodeError(schemaId, paths, message, cause);
  }
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // bigint or a cycle
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
