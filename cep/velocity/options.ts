/** The look-back features computed per account and per card. */
export const VELOCITY_FEATURES = [
  'count',
  'sumMinor',
  'maxMinor',
  'distinctMerchants',
  'distinctCountries',
  'declines',
  'msSincePrevious',
] as const;
export type VelocityFeatureName = (typeof VELOCITY_FEATURES)[number];

export const DEFAULT_VELOCITY_WINDOW_MS = 60_000;
export const DEFAULT_SESSION_GAP_MS = 30 * 60_000;

export interface VelocityOptions {
  /** Look-back per feature: an event at t aggregates the key's events in (t - window, t]. Default 60 s. */
  readonly windowsMs?: Partial<Record<VelocityFeatureName, number>>;
}

export interface SessionOptions {
  /** A session ends when the next event is at least this much event time after its last one. Default 30 min. */
  readonly gapMs?: number;
}

export type VelocityWindows = Readonly<Record<VelocityFeatureName, number>>;

export function velocityWindows(options: VelocityOptions = {}): VelocityWindows {
  const windows = {} as Record<VelocityFeatureName, number>;
  for (const feature of VELOCITY_FEATURES) windows[feature] = options.windowsMs?.[feature] ?? DEFAULT_VELOCITY_WINDOW_MS;
  return windows;
}

export function longestWindow(windows: VelocityWindows): number {
  return Math.max(...VELOCITY_FEATURES.map((feature) => windows[feature]));
}
