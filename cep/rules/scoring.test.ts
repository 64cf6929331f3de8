import fc from 'fast-check';
import type { RuleHit } from '../../schemas/types';
import { CepErrorCode } from '../errors';
import { combineScore, decide, DEFAULT_THRESHOLDS, resolveThresholds } from './scoring';

const hits = (...contributions: number[]) => contributions.map((contribution) => ({ contribution }) as RuleHit);

describe('scoring', () => {
  it('combines contributions as a noisy-OR', () => {
    expect(combineScore(hits())).toBe(0);
    expect(combineScore(hits(0.8))).toBe(0.8);
    expect(combineScore(hits(0.5, 0.5))).toBe(0.75);
    expect(combineScore(hits(0.85, 0.6, 0.5))).toBe(0.97);
  });

  it('stays in [0, 1] and never falls when a rule fires', () => {
    const contribution = fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true });
    fc.assert(
      fc.property(fc.array(contribution, { maxLength: 12 }), contribution, (cs, extra) => {
        const score = combineScore(hits(...cs));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(combineScore(hits(...cs, extra))).toBeGreaterThanOrEqual(score);
      }),
    );
  });

  it('decides by thresholds, inclusive', () => {
    expect([0.49, 0.5, 0.79, 0.8, 1].map((s) => decide(s, DEFAULT_THRESHOLDS))).toEqual(['APPROVE', 'REVIEW', 'REVIEW', 'DECLINE', 'DECLINE']);
    expect(decide(0.3, resolveThresholds({ review: 0.3 }))).toBe('REVIEW');
  });

  it('rejects thresholds out of order or range', () => {
    for (const bad of [{ review: 0 }, { review: 0.9, decline: 0.8 }, { decline: 1.1 }]) {
      expect(() => resolveThresholds(bad)).toThrow(expect.objectContaining({ code: CepErrorCode.InvalidJobConfig }));
    }
  });
});
