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
      return { ok: true, value, schemaId };
    } catch (cause) {
      return fail(DecodeErrorCode.INVALID_BODY, `Avro body does not parse: ${describeCause(cause)}`, cause);
    }
  };
}
