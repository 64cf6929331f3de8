/**
 * After-match skip strategies (FlinkCEP's AfterMatchSkipStrategy) as plain data, so that a
 * pattern stays inspectable and the runtime owns the behaviour.
 */
export type AfterMatchSkipStrategy =
  | { readonly kind: 'noSkip' }
  | { readonly kind: 'skipToNext' }
  | { readonly kind: 'skipPastLastEvent' }
  | { readonly kind: 'skipToFirst'; readonly stage: string; readonly throwOnMiss: boolean }
  | { readonly kind: 'skipToLast'; readonly stage: string; readonly throwOnMiss: boolean };

/** The skip strategies that name a stage: `skipToFirst` and `skipToLast`. */
export type SkipToStageStrategy = Extract<AfterMatchSkipStrategy, { stage: string }>;

/**
 * Factories of the after-match skip strategies, passed to `Pattern.begin(name, strategy)`: they decide
 * which partial matches survive once a match is emitted. The default is `noSkip()`.
 */
export const AfterMatchSkip = {
  /** Every possible match is emitted. */
  noSkip: (): AfterMatchSkipStrategy => ({ kind: 'noSkip' }),
  /** Discards partial matches that started with the same event as an emitted match. */
  skipToNext: (): AfterMatchSkipStrategy => ({ kind: 'skipToNext' }),
  /** Discards partial matches that started before an emitted match ended. */
  skipPastLastEvent: (): AfterMatchSkipStrategy => ({ kind: 'skipPastLastEvent' }),
  /**
   * Discards partial matches that started before the first event of `stage` in an emitted match.
   * With `throwOnMiss`, a match without such an event is an error instead of a no-op: the NFA throws
   * a `CepError` with code `SKIP_TARGET_MISSING`.
   */
  skipToFirst: (stage: string, throwOnMiss = false): AfterMatchSkipStrategy => ({
    kind: 'skipToFirst',
    stage,
    throwOnMiss,
  }),
  /** Like `skipToFirst`, but up to the last event of `stage`. */
  skipToLast: (stage: string, throwOnMiss = false): AfterMatchSkipStrategy => ({
    kind: 'skipToLast',
    stage,
    throwOnMiss,
  }),
} as const;
