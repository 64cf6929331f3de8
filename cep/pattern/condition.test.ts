import { isSimpleCondition } from './condition';

describe('isSimpleCondition', () => {
  it('holds for a condition declared with the event alone, not for one that declares the context', () => {
    expect(isSimpleCondition((e: number) => e > 0)).toBe(true);
    expect(isSimpleCondition(() => true)).toBe(true);
    expect(isSimpleCondition((e: number, ctx: { timestamp: number }) => e > ctx.timestamp)).toBe(false);
  });
});
