import { Type, type Schema } from 'avsc';
import {
  COMPATIBILITY_LEVELS,
  findIncompatibilities,
  parseCompatibilityLevel,
  type CompatibilityLevel,
} from './compatibility';
import { RegistryError } from './errors';

const record = (fields: object[]): Type => Type.forSchema({ type: 'record', name: 'Card', fields } as Schema);

const id = { name: 'id', type: 'string' };
const base = record([id]);
/** Adds a field with a default: readable both ways. */
const withOptional = record([id, { name: 'limit', type: 'long', default: 0 }]);
/** Adds a field without a default: new readers cannot read old data; old readers ignore the field. */
const withRequired = record([id, { name: 'limit', type: 'long' }]);
/** Drops a field without a default: old readers cannot read new data; new readers ignore the field. */
const empty = record([]);

const history = (...types: Type[]) => types.map((type, i) => ({ version: i + 1, type }));

describe('findIncompatibilities', () => {
  const candidates = { withOptional, withRequired, empty };

  it.each<[CompatibilityLevel, keyof typeof candidates, boolean]>([
    ['BACKWARD', 'withOptional', true],
    ['BACKWARD', 'withRequired', false],
    ['BACKWARD', 'empty', true],
    ['FORWARD', 'withOptional', true],
    ['FORWARD', 'withRequired', true],
    ['FORWARD', 'empty', false],
    ['FULL', 'withOptional', true],
    ['FULL', 'withRequired', false],
    ['FULL', 'empty', false],
    ['NONE', 'withRequired', true],
    ['NONE', 'empty', true],
  ])('%s: %s after the base schema is compatible: %s', (level, candidate, compatible) => {
    expect(findIncompatibilities(level, candidates[candidate], history(base)).length === 0).toBe(compatible);
  });

  it('checks the transitive levels against every version, the others against the latest only', () => {
    // Compatible with version 2 (which has `limit`) but unable to read version 1's data.
    const versions = history(base, withOptional);

    expect(findIncompatibilities('BACKWARD', withRequired, versions)).toEqual([]);
    expect(findIncompatibilities('BACKWARD_TRANSITIVE', withRequired, versions)).toEqual([
      'the new schema cannot read data written with version 1: no matching field for default-less Card.limit',
    ]);
    expect(findIncompatibilities('FULL_TRANSITIVE', withRequired, versions)).toHaveLength(1);
  });

  it('names both directions when FULL fails both ways', () => {
    const renamed = record([{ name: 'number', type: 'string' }]);

    expect(findIncompatibilities('FULL', renamed, history(base))).toEqual([
      expect.stringMatching(/^the new schema cannot read data written with version 1: .*Card\.number/),
      expect.stringMatching(/^version 1 cannot read data written with the new schema: .*Card\.id/),
    ]);
  });

  it('finds nothing to check in an empty history', () => {
    expect(findIncompatibilities('FULL_TRANSITIVE', empty, [])).toEqual([]);
  });
});

describe('parseCompatibilityLevel', () => {
  it.each(COMPATIBILITY_LEVELS)('accepts %s in any case', (level) => {
    expect(parseCompatibilityLevel(level.toLowerCase())).toBe(level);
  });

  it.each([undefined, 3, 'SIDEWAYS'])('rejects %p with 42203', (value) => {
    let thrown: unknown;
    try {
      parseCompatibilityLevel(value);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(RegistryError);
    expect(thrown).toMatchObject({ errorCode: 42203, httpStatus: 422 });
  });
});
