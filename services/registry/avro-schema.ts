// A schema as the registry keeps it: the text as first registered (what clients get back), the
// avsc type (for compatibility checks) and the identity that decides whether two texts are one schema.
import { Type, type Schema } from 'avsc';
import { invalidSchema } from './errors';

export interface AvroSchema {
  readonly text: string;
  readonly identity: string;
  readonly type: Type;
}

export function parseAvroSchema(text: string): AvroSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidSchema(`not JSON: ${(error as Error).message}`);
  }
  let type: Type;
  try {
    // Avro requires names on records, enums and fixed types; avsc alone would let them be anonymous.
    type = Type.forSchema(json as Schema, { noAnonymousTypes: true });
  } catch (error) {
    throw invalidSchema((error as Error).message);
  }
  return { text, identity: sortedJson(json), type };
}

// The identity is the JSON with object keys sorted, so whitespace and key order do not make a new
// schema. Avro's Parsing Canonical Form (avsc's fingerprint) is deliberately not used: it drops
// defaults, docs and logical types, so a new version that only adds a default would be taken for the
// old schema and never registered.
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${sortedJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
