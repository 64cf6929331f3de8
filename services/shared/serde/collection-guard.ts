// avsc believes the item count of an array or map block: it allocates and loops that many times even
// past the end of the buffer, so five bytes of garbage that claim 2^31 items exhaust the heap and abort
// the process, which no try/catch can stop. For writer schemas with arrays or maps, this walk checks
// every count, length and index against the bytes that are left before avsc reads the body.
import { types, type Type } from 'avsc';

export interface BodyDefect {
  readonly code: 'TRUNCATED' | 'INVALID_BODY';
  readonly detail: string;
}

/** Checks a body that starts at `offset`; undefined when avsc can safely read it. */
export type CollectionGuard = (message: Buffer, offset: number) => BodyDefect | undefined;

/** The guard for bodies of `writer`, or undefined when the schema has no arrays or maps to lie about. */
export function collectionGuard(writer: Type): CollectionGuard | undefined {
  if (!hasCollections(writer, new Set())) return undefined;
  return (message, offset) => {
    const cursor = { bytes: message, start: offset, pos: offset };
    try {
      skipValue(writer, cursor);
      return undefined;
    } catch (error) {
      if (error instanceof DefectFound) return error.defect;
      throw error;
    }
  };
}

function hasCollections(type: Type, visited: Set<Type>): boolean {
  if (visited.has(type)) return false;
  visited.add(type);
  if (type instanceof types.ArrayType || type instanceof types.MapType) return true;
  return childTypes(type).some((child) => hasCollections(child, visited));
}

function childTypes(type: Type): Type[] {
  if (type instanceof types.RecordType) return type.fields.map((field) => field.type);
  if (type instanceof types.UnwrappedUnionType || type instanceof types.WrappedUnionType) return type.types;
  if (type instanceof types.LogicalType) return [type.underlyingType];
  return [];
}

interface Cursor {
  readonly bytes: Buffer;
  readonly start: number;
  pos: number;
}

class DefectFound extends Error {
  constructor(readonly defect: BodyDefect) {
    super(defect.detail);
  }
}

function truncated(cursor: Cursor, what: string): DefectFound {
  const detail = `${what} at body byte ${cursor.pos - cursor.start} runs past the end`;
  return new DefectFound({ code: 'TRUNCATED', detail });
}

function invalid(cursor: Cursor, what: string): DefectFound {
  return new DefectFound({ code: 'INVALID_BODY', detail: `${what} at body byte ${cursor.pos - cursor.start}` });
}

function skipValue(type: Type, cursor: Cursor): void {
  switch (type.typeName) {
    case 'null':
      return;
    case 'boolean':
      return skipBytes(cursor, 1, 'boolean');
    case 'int':
    case 'long':
      readLong(cursor);
      return;
    case 'float':
      return skipBytes(cursor, 4, 'float');
    case 'double':
      return skipBytes(cursor, 8, 'double');
    case 'bytes':
    case 'string':
      return skipLengthPrefixed(cursor, type.typeName);
    case 'fixed':
      return skipBytes(cursor, (type as types.FixedType).size, 'fixed');
    case 'enum':
      readIndex(cursor, (type as types.EnumType).symbols.length, 'enum index');
      return;
    case 'array':
      return skipBlocks(cursor, () => skipValue((type as types.ArrayType).itemsType, cursor));
    case 'map':
      return skipBlocks(cursor, () => {
        skipLengthPrefixed(cursor, 'map key');
        skipValue((type as types.MapType).valuesType, cursor);
      });
    case 'record':
    case 'error':
      for (const field of (type as types.RecordType).fields) skipValue(field.type, cursor);
      return;
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branches = (type as types.UnwrappedUnionType | types.WrappedUnionType).types;
      return skipValue(branches[readIndex(cursor, branches.length, 'union branch')], cursor);
    }
    default:
      if (type instanceof types.LogicalType) return skipValue(type.underlyingType, cursor);
      throw new Error(`Avro type ${type.typeName} is unknown to the collection guard`);
  }
}

function skipBytes(cursor: Cursor, length: number, what: string): void {
  if (cursor.pos + length > cursor.bytes.length) throw truncated(cursor, what);
  cursor.pos += length;
}

function skipLengthPrefixed(cursor: Cursor, what: string): void {
  const length = readLong(cursor);
  if (length < 0) throw invalid(cursor, `negative ${what} length ${length}`);
  skipBytes(cursor, length, `${what} of ${length} bytes`);
}

function readIndex(cursor: Cursor, count: number, what: string): number {
  const index = readLong(cursor);
  if (index < 0 || index >= count) throw invalid(cursor, `${what} ${index} out of range [0, ${count})`);
  return index;
}

function skipBlocks(cursor: Cursor, skipItem: () => void): void {
  for (;;) {
    let count = readLong(cursor);
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      readLong(cursor); // a negative count is followed by the block's size in bytes
    }
    // Any item with a non-empty encoding takes at least one byte, so a count above the bytes left is
    // a lie. (Arrays of null or of empty records would be wrongly refused; no schema of ours has one.)
    if (count > cursor.bytes.length - cursor.pos) throw truncated(cursor, `block of ${count} items`);
    for (let i = 0; i < count; i++) skipItem();
  }
}

/** Avro zig-zag varint; plain arithmetic because only its magnitude against the bytes left matters. */
function readLong(cursor: Cursor): number {
  let value = 0;
  let scale = 1;
  for (let length = 1; ; length++) {
    if (cursor.pos >= cursor.bytes.length) throw truncated(cursor, 'varint');
    const byte = cursor.bytes[cursor.pos++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) break;
    if (length === 10) throw invalid(cursor, 'varint longer than 10 bytes');
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}
