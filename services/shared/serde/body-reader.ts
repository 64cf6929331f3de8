// Reads the Avro bodies written with one schema id as one reader type. Built once per (schema id,
// reader) and cached by the serde, because resolving and guarding a schema costs far more than
// reading a record with it.
import type { Resolver, Type } from 'avsc';
import { collectionGuard } from './collection-guard';
import { DecodeError, DecodeErrorCode, decodeFailure, describeCause, type DecodeResult } from './errors';
import { HEADER_LENGTH } from './wire-format';

/** Decodes the body of a framed message whose header has already been read. */
export type BodyReader = (message: Buffer) => DecodeResult;

/** The reader for bodies of `writer` (schema `schemaId`), or why `reader` cannot read them. */
export function createBodyReader(schemaId: number, writer: Type, reader?: Type): BodyReader | DecodeError {
  let resolver: Resolver | undefined;
  // Named apart so that a record of another type is told from an incompatible version of the right one.
  if (reader?.name !== undefined && writer.name !== reader.name && !reader.aliases?.includes(writer.name ?? '')) {
    return new DecodeError(
      DecodeErrorCode.WRONG_RECORD_TYPE,
      `schema id ${schemaId} is ${writer.name ?? writer.typeName}, not ${reader.name}`,
      { schemaId },
    );
  }
  // Equal canonical forms mean identical bytes, so the reader type can read them without a resolver.
  if (reader && !reader.equals(writer)) {
    try {
      resolver = reader.createResolver(writer);
    } catch (cause) {
      return new DecodeError(
        DecodeErrorCode.INCOMPATIBLE_SCHEMA,
        `reader schema ${reader.name ?? reader.typeName} cannot read schema id ${schemaId}: ${describeCause(cause)}`,
        { schemaId, cause },
      );
    }
  }
  const type = reader ?? writer;
  const guard = collectionGuard(writer);
  const fail = (code: DecodeErrorCode, message: string, cause?: unknown) =>
    decodeFailure(new DecodeError(code, `${message} (schema id ${schemaId})`, { schemaId, cause }));

  return (message) => {
    try {
      const defect = guard?.(message, HEADER_LENGTH);
      if (defect) return fail(defect.code, defect.detail);
      const { value, offset } = type.decode(message, HEADER_LENGTH, resolver);
      if (offset === -1) {
        return fail(DecodeErrorCode.TRUNCATED, `Avro body of ${message.length - HEADER_LENGTH} bytes ends mid-record`);
      }
      if (offset < message.length) {
        return fail(DecodeErrorCode.INVALID_BODY, `${message.length - offset} trailing bytes after the Avro body`);
      }
      // Node reads malformed UTF-8 as U+FFFD without a word. A value holding U+FFFD is rare, so only
      // then is it written again: the bytes differ from the original exactly when some were not UTF-8.
      if (holdsReplacementCharacter(value) && !writer.toBuffer(resolver ? writer.decode(message, HEADER_LENGTH).value : value).equals(message.subarray(HEADER_LENGTH))) {
        return fail(DecodeErrorCode.INVALID_UTF8, 'a string of the Avro body is not valid UTF-8');
      }
      return { ok: true, value, schemaId };
    } catch (cause) {
      return fail(DecodeErrorCode.INVALID_BODY, `Avro body does not parse: ${describeCause(cause)}`, cause);
    }
  };
}

/** Whether any string in a decoded value (records, arrays, maps, unions) holds U+FFFD. */
function holdsReplacementCharacter(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\uFFFD');
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) return value.some(holdsReplacementCharacter);
  for (const key in value) if (key.includes('\uFFFD') || holdsReplacementCharacter((value as Record<string, unknown>)[key])) return true;
  return false;
}
