/**
 * Dewey-decimal run versions (as in FlinkCEP's DeweyNumber): a run that branches bumps its last
 * digit, a run that moves to a new stage appends a digit. An edge in the shared buffer belongs
 * to every run whose version is compatible with the edge's, which is what lets overlapping runs
 * share one copy of their common prefix.
 */
export type DeweyNumber = readonly number[];

export const INITIAL_VERSION: DeweyNumber = [1];

export function increase(version: DeweyNumber, times: number): DeweyNumber {
  if (times === 0) return version;
  const next = version.slice();
  next[next.length - 1]! += times;
  return next;
}

export function addStage(version: DeweyNumber): DeweyNumber {
  // Not a push (or a spread, which pushes): that would reserve room for 16 more digits, and runs keep their versions.
  return version.concat(0);
}

/**
 * True if `version` descends from `other`: `other` is a proper prefix of it, or both have the
 * same length and differ only in a last digit that is not smaller.
 */
export function isCompatibleWith(version: DeweyNumber, other: DeweyNumber): boolean {
  const n = other.length;
  if (version.length < n) return false;
  for (let i = 0; i < n - 1; i++) {
    if (version[i] !== other[i]) return false;
  }
  return version.length > n ? version[n - 1] === other[n - 1] : version[n - 1]! >= other[n - 1]!;
}
