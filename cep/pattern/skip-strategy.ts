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

export type SkipToStageStrategy = Extract<AfterMatchSkipStrategy, { stage: string }>;

export const AfterMatchSkip = {
  /** Every possible match is emitted. */
  noSkip: (): AfterMatchSkipStrategy => ({ kind: 'noSkip' }),
  /** Discards partial matches that started with the same event as an emitted match. */
  skipToNext: (): AfterMatchSkipStrategy => ({ kind: 'skipToNext' }),
  /** Discards partial matches that started before an emitted match ended. */
  skipPastLastEvent: (): AfterMatchSkipStrategy => ({ kind: 'skipPastLastEvent' }),
  /**
   * Discards partial matches that started before the first event of `stage` in an emitted match.
   * With `throwOnMiss`, a match without such an event is an error instead of a no-op.
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
