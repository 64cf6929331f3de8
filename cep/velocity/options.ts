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
/** One velocity feature's name, a key of `VelocityFeatures`; each can be given its own look-back window. */
export type VelocityFeatureName = (typeof VELOCITY_FEATURES)[number];

/** Look-back of a velocity feature without a configured window: 60 s of event time, in milliseconds. */
export const DEFAULT_VELOCITY_WINDOW_MS = 60_000;
/** Session gap without a configured one: 30 minutes of event time, in milliseconds. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60_000;

/** The `velocity` part of a job configuration: the look-back window of each velocity feature. */
export interface VelocityOptions {
  /** Look-back per feature: an event at t aggregates the key's events in (t - window, t]. Default 60 s. */
  readonly windowsMs?: Partial<Record<VelocityFeatureName, number>>;
}

/** The `session` part of a job configuration: how account sessions are delimited. */
export interface SessionOptions {
  /** A session ends when the next event is at least this much event time after its last one. Default 30 min. */
  readonly gapMs?: number;
}

/** The look-back of every velocity feature, in milliseconds of event time, defaults applied. */
export type VelocityWindows = Readonly<Record<VelocityFeatureName, number>>;

/** Completes `options` with {@link DEFAULT_VELOCITY_WINDOW_MS} for every feature it leaves out; does not validate. */
export function velocityWindows(options: VelocityOptions = {}): VelocityWindows {
  const windows = {} as Record<VelocityFeatureName, number>;
  for (const feature of VELOCITY_FEATURES) windows[feature] = options.windowsMs?.[feature] ?? DEFAULT_VELOCITY_WINDOW_MS;
  return windows;
}

export function longestWindow(windows: VelocityWindows): number {
  return Math.max(...VELOCITY_FEATURES.map((feature) => windows[feature]));
}
