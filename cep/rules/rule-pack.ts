import { isRule, malformedRule, type Rule } from './rule';

/** Validated rules in evaluation order; ids are unique. */
export interface RulePack {
  readonly rules: readonly Rule[];
}

/** A pack from rules defined in code; throws MALFORMED_PATTERN on a duplicate id. */
export function rulePack(rules: readonly Rule[]): RulePack {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!isRule(rule)) throw malformedRule((rule as { id?: unknown } | null)?.id, 'is not a rule made by defineRule');
    if (seen.has(rule.id)) throw malformedRule(rule.id, 'is defined twice in the pack');
    seen.add(rule.id);
  }
  return Object.freeze({ rules: Object.freeze([...rules]) });
}

/**
 * A pack from a folder's rule modules, given as module id (the file name) → module namespace.
 * Each module exports its rule as `rule`, and a rule's module is named after its id, so that a
 * rule is found by id. The folder's index lists its modules statically: the engine reads no files.
 */
export function loadRulePack(modules: Readonly<Record<string, unknown>>): RulePack {
  const rules: Rule[] = [];
  for (const moduleId of Object.keys(modules).sort()) {
    const rule = (modules[moduleId] as { rule?: unknown } | null | undefined)?.rule;
    if (!isRule(rule)) throw malformedRule(moduleId, `module '${moduleId}' must export a rule made by defineRule as 'rule'`);
    if (rule.id !== moduleId) throw malformedRule(rule.id, `is in module '${moduleId}': a rule module is named after its rule's id`);
    rules.push(rule);
  }
  return rulePack(rules);
}
