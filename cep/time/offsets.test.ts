import fc from 'fast-check';
import { canonicalOffset, compareOffsets } from './offsets';

describe('offsets', () => {
  it('accepts int64 offsets as bigint or decimal text and rejects anything else', () => {
    expect(canonicalOffset(42n)).toBe('42');
    expect(canonicalOffset('9223372036854775807')).toBe('9223372036854775807');
    for (const bad of ['9223372036854775808', '-1', '007', '1e3', '', 12, null, -1n, 2n ** 63n]) expect(canonicalOffset(bad)).toBeUndefined();
  });

  it('orders canonical offsets numerically beyond 2^53 (property)', () => {
    const offset = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(offset, offset, (a, b) => {
        const order = Math.sign(compareOffsets(canonicalOffset(a)!, canonicalOffset(String(b))!));
        expect(order).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
