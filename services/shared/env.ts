// Reading configuration from the environment with clear errors: a typo in a number fails at start,
// naming the variable, instead of becoming NaN somewhere downstream.

export type Env = Readonly<Record<string, string | undefined>>;

export function envString(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function envInt(env: Env, name: string, fallback: number, { min = 0 }: { min?: number } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name}=${raw} is not an integer >= ${min}`);
  return value;
}

/** A number in [0, 1], or undefined when the variable is not set. */
export function envFraction(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name}=${raw} is not a number between 0 and 1`);
  return value;
}
