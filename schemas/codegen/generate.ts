// Renders TypeScript declarations from the Avro schemas, so record types are derived, not written
// twice. `npm run schemas:types` writes schemas/types.ts; a test fails when the file is stale.
import { NAMESPACE, SCHEMA_NAMES, readSchemaFile } from '../index';

// A loose view of parsed .avsc JSON: the generator walks it structurally.
type AvroNode = { type?: unknown; [attr: string]: unknown };

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
    for (const name of SCHEMA_NAMES) this.typeExpr(readSchemaFile(name));
    return [
      '// Generated from schemas/*.avsc by `npm run schemas:types`. Do not edit by hand.',
      '// Timestamps (timestamp-millis) are epoch milliseconds; money is integer minor units.',
      '',
      this.declarations.join('\n\n'),
      '',
    ].join('\n');
  }

  private typeExpr(node: unknown): string {
    if (typeof node === 'string') return PRIMITIVES[node] ?? shortName(node);
    if (Array.isArray(node)) return node.map((n) => this.typeExpr(n)).join(' | ');
    if (typeof node !== 'object' || node === null) throw new Error(`Unsupported Avro schema node: ${JSON.stringify(node)}`);
    return this.complexExpr(node as AvroNode);
  }

  private complexExpr(node: AvroNode): string {
    switch (node.type) {
      case 'record':
        return this.declareRecord(node);
      case 'enum':
        return this.declareEnum(node);
      case 'array':
        return `Array<${this.typeExpr(node.items)}>`;
      case 'map':
        return `Record<string, ${this.typeExpr(node.values)}>`;
      default:
        return this.typeExpr(node.type);
    }
  }

  private declareRecord(node: AvroNode): string {
    const name = shortName(String(node.name));
    if (this.seen.has(name)) return name;
    this.seen.add(name);
    const fields = (node.fields as AvroNode[]).map(
      (f) => `${docComment(f.doc, '  ')}  ${String(f.name)}: ${this.typeExpr(f.type)};`,
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
