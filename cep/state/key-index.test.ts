import fc from 'fast-check';
import { KeyIndex } from './key-index';

/** Keys of a few shapes: short ones held whole in a slot, long ones sharing their first units, odd lengths, non-ASCII. */
const KEY_SHAPES = [(n: number) => `acct-${n}`, (n: number) => `customer-account-${n}`, (n: number) => `k${n}`, (n: number) => `kõ€${n}😀`];
const keyOf = (n: number): string => KEY_SHAPES[n % KEY_SHAPES.length]!(n);

describe('KeyIndex', () => {
  it('finds what a Map finds through any sequence of adds and removes, across growth (property)', () => {
    const operation = fc.record({ add: fc.boolean(), key: fc.nat(3_000).map(keyOf) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 4_000 }), (operations) => {
        const keys: (string | undefined)[] = [];
        const index = new KeyIndex((id) => keys[id]);
        const reference = new Map<string, number>();
        const freeIds: number[] = [];
        for (const { add, key } of operations) {
          const id = reference.get(key);
          if (add && id === undefined) {
            const fresh = freeIds.pop() ?? keys.length;
            keys[fresh] = key;
            index.add(key, fresh);
            reference.set(key, fresh);
          } else if (!add && id !== undefined) {
            index.remove(key);
            keys[id] = undefined;
            reference.delete(key);
            freeIds.push(id);
          }
        }
        for (let n = 0; n <= 3_000; n++) expect(index.find(keyOf(n))).toBe(reference.get(keyOf(n)) ?? -1);
      }),
      { numRuns: 30 },
    );
  });

  it('tells apart keys that agree in their first units, in length, or in every unit held in the slot', () => {
    const keys = ['abcdefghij', 'abcdefghij-1', 'abcdefghij-2', 'abcdefghi', 'abcdefghij\u0000', ''];
    const index = new KeyIndex((id) => keys[id]);
    keys.forEach((key, id) => index.add(key, id));
    keys.forEach((key, id) => expect(index.find(key)).toBe(id));
    expect(index.find('abcdefghij-3')).toBe(-1);
    expect(index.find('abcdefghik')).toBe(-1);
  });
});
