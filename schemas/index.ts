// The .avsc files are the single source of truth for record shapes. This module loads them into
// avsc types and exports self-contained schemas (named types inlined) for the Schema Registry,
// which would otherwise need schema references for the shared RuleHit and Transaction types.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Schema } from 'avsc';

/** Files in dependency order: a schema may only name types defined by files before it. */
export const SCHEMA_NAMES = [
  'Transaction',
  'AccountProfile',
  'AuthEvent',
  'RuleHit',
  'ScoredTransaction',
  'Alert',
  'FraudLabel',
  'DeadLetter',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

export const NAMESPACE = 'dev.peregrine';

export function readSchemaFile(name: SchemaName): Schema {
  return JSON.parse(readFileSync(join(__dirname, `${name}.avsc`), 'utf8')) as Schema;
}

function buildTypes(): Record<SchemaName, Type> {
  const registry: Record<string, Type> = {};
  const built = {} as Record<SchemaName, Type>;
  for (const name of SCHEMA_NAMES) built[name] = Type.forSchema(readSchemaFile(name), { registry });
  return built;
}

let cached: Record<SchemaName, Type> | undefined;

/** The avsc type of a record; timestamps stay epoch-millisecond numbers (no logical type hooks). */
export function typeOf(name: SchemaName): Type {
  cached ??= buildTypes();
  return cached[name];
}

/**
 * The schema with every referenced named type defined inline at its first use: what gets
 * registered. Built from the raw JSON (not avsc's `schema()`), which would drop attributes avsc
 * does not model, such as `logicalType: timestamp-millis`.
 */
export function selfContainedSchema(name: SchemaName): Schema {
  const definitions = new Map<string, unknown>();
  for (const file of SCHEMA_NAMES) collectDefinitions(readSchemaFile(file), NAMESPACE, definitions);
  return inline(readSchemaFile(name), NAMESPACE, definitions, new Set()) as Schema;
}

type Json = { [key: string]: unknown };

function fullName(node: Json, namespace: string): string {
  const name = String(node.name);
  return name.includes('.') ? name : `${String(node.namespace ?? namespace)}.${name}`;
}

function collectDefinitions(node: unknown, namespace: string, into: Map<string, unknown>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectDefinitions(n, namespace, into));
  if (typeof node !== 'object' || node === null) return;
  const json = node as Json;
  if (json.type === 'record' || json.type === 'enum' || json.type === 'fixed') into.set(fullName(json, namespace), json);
  const inner = json.type === 'record' ? fullName(json, namespace).replace(/\.[^.]+$/, '') : namespace;
  for (const f of (json.fields as Json[] | undefined) ?? []) collectDefinitions(f.type, inner, into);
  collectDefinitions(json.items, namespace, into);
  collectDefinitions(json.values, namespace, into);
  if (typeof json.type === 'object') collectDefinitions(json.type, namespace, into);
}

function inline(node: unknown, namespace: string, definitions: Map<string, unknown>, defined: Set<string>): unknown {
  if (typeof node === 'string') {
    const name = node.includes('.') ? node : `${namespace}.${node}`;
    const definition = definitions.get(name);
    if (definition === undefined || defined.has(name)) return node;
    return inline(definition, namespace, definitions, defined);
  }
  if (Array.isArray(node)) return node.map((n) => inline(n, namespace, definitions, defined));
  if (typeof node !== 'object' || node === null) return node;
  const json = { ...(node as Json) };
  if (json.type === 'record' || json.type === 'enum' || json.type === 'fixed') defined.add(fullName(json, namespace));
  if (Array.isArray(json.fields)) {
    json.fields = (json.fields as Json[]).map((f) => ({ ...f, type: inline(f.type, namespace, definitions, defined) }));
  }
  if (json.items !== undefined) json.items = inline(json.items, namespace, definitions, defined);
  if (json.values !== undefined) json.values = inline(json.values, namespace, definitions, defined);
  if (typeof json.type === 'object') json.type = inline(json.type, namespace, definitions, defined);
  return json;
}

export type * from './types';
