// Rule packs for a backtest, named as a path to their module (a folder with an index, as
// `rules/starter`): whatever the module exports that is a rule pack.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type RulePack, isRule } from '../../cep/rules';

function isRulePack(value: unknown): value is RulePack {
  const rules = (value as { rules?: unknown } | null)?.rules;
  return Array.isArray(rules) && rules.every(isRule);
}

/** The pack at `path` (relative to the working directory); throws, naming the path, when there is none. */
export function loadPack(path: string): RulePack {
  let module: Record<string, unknown>;
  try {
    // Resolved as a CommonJS module, so that a folder loads its index, as in the project's own imports.
    module = createRequire(__filename)(resolve(path)) as Record<string, unknown>;
  } catch (cause) {
    throw new Error(`--pack ${path}: cannot load it (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  const packs = Object.entries(module).filter(([, value]) => isRulePack(value));
  if (packs.length !== 1) throw new Error(`--pack ${path}: the module must export exactly one rule pack (found ${packs.length}: ${packs.map(([name]) => name).join(', ') || 'none'})`);
  return packs[0]![1] as RulePack;
}
