import fc from 'fast-check';
import { KeyIndex } from './key-index';

describe('KeyIndex', () => {
  it('finds what a Map finds through any sequence of adds and removes, across growth (property)', () => {
    const operation = fc.record({ add: fc.boolean(), key: fc.nat(3_000).map((n) => `acct-${n}`) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 4_000 }), (operations) => {
        const keys: (string | undefined)[] = [];
        const index = new KeyIndex(keys);
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
        for (let n = 0; n <= 3_000; n++) expect(index.find(`acct-${n}`)).toBe(reference.get(`acct-${n}`) ?? -1);
      }),
      { numRuns: 30 },
    );
  });
});
