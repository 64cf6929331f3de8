import { isCepError } from '../errors';
import { ByteWriter } from './bytes';
import { KeyedStateStore, type StateSlotSpec } from './keyed-state';

const counter: StateSlotSpec<number> = {
  name: 'counter',
  isEmpty: (n) => n === 0,
  codec: { version: 1, encode: (n, out) => void out.uvarint(n), decode: (input) => input.uvarint() },
};
const label: StateSlotSpec<string> = {
  name: 'label',
  isEmpty: (s) => s === '',
  codec: { version: 3, encode: (s, out) => void out.string(s), decode: (input, version) => `${input.string()}@v${version}` },
};

function store(): { store: KeyedStateStore; count: ReturnType<KeyedStateStore['register']>; name: ReturnType<KeyedStateStore['register']> } {
  const s = new KeyedStateStore();
  return { store: s, count: s.register(counter), name: s.register(label) };
}

describe('KeyedStateStore', () => {
  it('tracks the keys changed since the last commit', () => {
    const { store: s, count } = store();
    count.set(s.open('a'), 1);
    s.touch(s.open('a'));
    s.open('b');
    expect(s.dirtyKeys()).toEqual(['a']);
    s.markCommitted();
    expect(s.dirtyKeys()).toEqual([]);
  });

  it('writes a changelog of snapshots and tombstones for keys whose state became empty', () => {
    const { store: s, count, name } = store();
    count.set(s.open('a'), 2);
    name.set(s.open('b'), 'x');
    s.touch(s.open('a'));
    s.touch(s.open('b'));
    s.changelog();
    count.set(s.open('a'), 0);
    s.touch(s.open('a'));
    const records = s.changelog();
    expect(records).toEqual([{ key: 'a', value: null }]);
    expect(s.find('a')).toBeUndefined();
    expect(s.size).toBe(1);
  });

  it('restores a key from its bytes, passing each slot its codec version, and deletes on a tombstone', () => {
    const { store: s, count, name } = store();
    const state = s.open('k');
    count.set(state, 7);
    name.set(state, 'hello');
    const bytes = s.encode('k')!;
    const { store: restored, count: count2, name: name2 } = store();
    restored.restore('k', bytes);
    expect(count2.get(restored.find('k')!)).toBe(7);
    expect(name2.get(restored.find('k')!)).toBe('hello@v3');
    restored.restore('k', null);
    expect(restored.find('k')).toBeUndefined();
  });

  it('skips slots the job no longer registers', () => {
    const { store: s, count, name } = store();
    count.set(s.open('k'), 5);
    name.set(s.open('k'), 'gone');
    const bytes = s.encode('k')!;
    const onlyCounter = new KeyedStateStore();
    const slot = onlyCounter.register(counter);
    onlyCounter.restore('k', bytes);
    expect(slot.get(onlyCounter.find('k')!)).toBe(5);
  });

  it('rejects bytes of an unknown format version or with trailing garbage as CORRUPT_STATE', () => {
    const { store: s, count } = store();
    count.set(s.open('k'), 1);
    const bytes = s.encode('k')!;
    const cases = [Uint8Array.of(9, ...bytes.subarray(1)), Uint8Array.of(...bytes, 0)];
    for (const bad of cases) {
      expect(() => s.restore('k', bad)).toThrow();
      try {
        s.restore('k', bad);
      } catch (error) {
        expect(isCepError(error, 'CORRUPT_STATE')).toBe(true);
      }
    }
  });

  it('gives the id of a deleted key to the next new key, with empty state and not marked changed', () => {
    const { store: s, count } = store();
    const a = s.open('a');
    count.set(a, 3);
    s.touch(a);
    count.set(a, 0);
    expect(s.deleteIfEmpty(a)).toBe(true);
    const b = s.open('b');
    expect(b).toBe(a);
    expect(s.keyOf(b)).toBe('b');
    expect(count.get(b)).toBeUndefined();
    expect(s.dirtyKeys()).toEqual(['a']);
  });

  it('refuses a slot name registered twice', () => {
    const s = new KeyedStateStore();
    s.register(counter);
    expect(() => s.register(counter)).toThrow(/registered twice/);
  });

  it('keeps snapshots compact', () => {
    const { store: s, count } = store();
    count.set(s.open('k'), 1);
    // format byte, slot count, name, version, payload length, payload
    expect(s.encode('k')!.length).toBe(new ByteWriter().uint8(1).uvarint(1).string('counter').uvarint(1).uvarint(1).uvarint(1).length);
  });
});
