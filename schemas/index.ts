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

/** The schema with every referenced named type defined inline, docs kept: what gets registered. */
export function selfContainedSchema(name: SchemaName): Schema {
  return typeOf(name).schema({ exportAttrs: true }) as Schema;
}

export type * from './types';
