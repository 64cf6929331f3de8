import { KeyRows } from '../state/key-rows';
import { StringSets } from './string-sets';

function sets(keys: number): StringSets {
  const rows = new KeyRows();
  const strings = new StringSets(rows);
  rows.grow(keys);
  return strings;
}

describe('StringSets', () => {
  it('keeps each key its own set, in the order added, past the block sizes it outgrows', () => {
    const strings = sets(3);
    const added = Array.from({ length: 9 }, (_, index) => `dev-${index}`);
    for (const value of added) expect(strings.add(1, value)).toBe(true);
    expect(strings.add(0, 'dev-0')).toBe(true);
    expect(strings.add(2, 'other')).toBe(true);
    expect(strings.values(1)).toEqual(added);
    expect(strings.size(1)).toBe(9);
    expect(strings.values(0)).toEqual(['dev-0']);
    expect(strings.values(2)).toEqual(['other']);
  });

  it('finds a string already in the set by value, not by identity', () => {
    const strings = sets(1);
    expect(strings.add(0, ['dev', 7].join('-'))).toBe(true);
    expect(strings.add(0, ['dev', 7].join('-'))).toBe(false);
    expect(strings.size(0)).toBe(1);
  });

  it('empties a set and hands its block to the next set', () => {
    const strings = sets(2);
    strings.add(0, 'a');
    strings.add(0, 'b');
    strings.clear(0);
    expect(strings.size(0)).toBe(0);
    expect(strings.values(0)).toEqual([]);
    strings.add(1, 'c');
    expect(strings.values(1)).toEqual(['c']);
    expect(strings.add(0, 'a')).toBe(true);
    expect(strings.values(0)).toEqual(['a']);
  });
});
