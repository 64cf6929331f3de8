// Schema evolution rules, decided by avsc's own schema resolution: "A can read data written with B"
// is exactly "A.createResolver(B) succeeds", the check a consumer's decoder makes at run time.
import type { Type } from 'avsc';
import { invalidCompatibilityLevel } from './errors';

export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

interface Rule {
  /** The new schema must read data written with the earlier ones (consumers upgrade first). */
  readonly backward: boolean;
  /** The earlier schemas must read data written with the new one (producers upgrade first). */
  readonly forward: boolean;
  /** Against every earlier version rather than the latest only. */
  readonly transitive: boolean;
}

const RULES: Record<CompatibilityLevel, Rule> = {
  BACKWARD: { backward: true, forward: false, transitive: false },
  BACKWARD_TRANSITIVE: { backward: true, forward: false, transitive: true },
  FORWARD: { backward: false, forward: true, transitive: false },
  FORWARD_TRANSITIVE: { backward: false, forward: true, transitive: true },
  FULL: { backward: true, forward: true, transitive: false },
  FULL_TRANSITIVE: { backward: true, forward: true, transitive: true },
  NONE: { backward: false, forward: false, transitive: false },
};

/** Confluent accepts levels in any case. */
export function parseCompatibilityLevel(value: unknown): CompatibilityLevel {
  const level = typeof value === 'string' ? value.toUpperCase() : undefined;
  const known = COMPATIBILITY_LEVELS.find((candidate) => candidate === level);
  if (!known) throw invalidCompatibilityLevel(COMPATIBILITY_LEVELS);
  return known;
}

export interface EarlierVersion {
  readonly version: number;
  readonly type: Type;
}

/**
 * Why `candidate` may not follow `history` (oldest first) under `level`; empty when it may.
 * A history of one version checks against that version alone, whatever the transitivity.
 */
export function findIncompatibilities(
  level: CompatibilityLevel,
  candidate: Type,
  history: readonly EarlierVersion[],
): string[] {
  const rule = RULES[level];
  const against = rule.transitive ? history : history.slice(-1);
  const problems: string[] = [];
  for (const { version, type } of against) {
    const unreadable = rule.backward && resolutionFailure(candidate, type);
    if (unreadable) problems.push(`the new schema cannot read data written with version ${version}: ${unreadable}`);
    const unwritable = rule.forward && resolutionFailure(type, candidate);
    if (unwritable) problems.push(`version ${version} cannot read data written with the new schema: ${unwritable}`);
  }
  return problems;
}

function resolutionFailure(reader: Type, writer: Type): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
