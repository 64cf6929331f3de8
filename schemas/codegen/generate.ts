// Renders TypeScript declarations from the Avro schemas, so record types are derived, not written
// twice. `npm run schemas:types` writes schemas/types.ts; a test fails when the file is stale.
import type { Schema } from 'avsc';
import { NAMESPACE, SCHEMA_NAMES, readSchemaFile } from '../index';

type AvroNode = Schema & Record<string, unknown>;

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

function shortName(name: string): string {
  return name.startsWith(`${NAMESPACE}.`) ? name.slice(NAMESPACE.length + 1) : name;
}

function docComment(doc: unknown, indent: string): string {
  return typeof doc === 'string' ? `${indent}/** ${doc} */\n` : '';
}

class Renderer {
  private readonly declarations: string[] = [];
  private readonly seen = new Set<string>();

  render(): string {
    for (const name of SCHEMA_NAMES) this.typeExpr(readSchemaFile(name) as AvroNode);
    return [
      '// Generated from schemas/*.avsc by `npm run schemas:types`. Do not edit by hand.',
      '// Timestamps (timestamp-millis) are epoch milliseconds; money is integer minor units.',
      '',
      this.declarations.join('\n\n'),
      '',
    ].join('\n');
  }

  private typeExpr(node: AvroNode | string | AvroNode[]): string {
    if (typeof node === 'string') return PRIMITIVES[node] ?? shortName(node);
    if (Array.isArray(node)) return node.map((n) => this.typeExpr(n)).join(' | ');
    switch (node.type) {
      case 'record':
        return this.declareRecord(node);
      case 'enum':
        return this.declareEnum(node);
      case 'array':
        return `Array<${this.typeExpr(node.items as AvroNode)}>`;
      case 'map':
        return `Record<string, ${this.typeExpr(node.values as AvroNode)}>`;
      default:
        return this.typeExpr(node.type as string);
    }
  }

  private declareRecord(node: AvroNode): string {
    const name = shortName(String(node.name));
    if (this.seen.has(name)) return name;
    this.seen.add(name);
    const fields = (node.fields as AvroNode[]).map(
      (f) => `${docComment(f.doc, '  ')}  ${String(f.name)}: ${this.typeExpr(f.type as AvroNode)};`,
    );
    this.declarations.push(`${docComment(node.doc, '')}export interface ${name} {\n${fields.join('\n')}\n}`);
    return name;
  }

  private declareEnum(node: AvroNode): string {
    const name = shortName(String(node.name));
    if (this.seen.has(name)) return name;
    this.seen.add(name);
    const symbols = (node.symbols as string[]).map((s) => `'${s}'`).join(' | ');
    this.declarations.push(`${docComment(node.doc, '')}export type ${name} = ${symbols};`);
    return name;
  }
}

export function generateTypes(): string {
  return new Renderer().render();
}
