import { isCepError } from '../errors';
import { CepErrorCode } from '../errors';
import { MalformedPatternError, Pattern } from './index';

type Ev = { kind: string };
const p = () => Pattern.begin<Ev>('a');

function rejects(build: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MalformedPatternError);
  expect(isCepError(error, CepErrorCode.MalformedPattern)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

describe('the builder rejects malformed patterns where they are written', () => {
  test.each([
    ['duplicate stage name', () => p().followedBy('b').next('a'), /Duplicate stage name 'a'/],
    ['reserved characters in a name', () => p().next('x:y'), /Invalid stage name 'x:y'/],
    ['empty name', () => Pattern.begin(''), /Invalid stage name ''/],
    ['until twice', () => p().oneOrMore().until(() => true).until(() => true), /until\(\) can be applied only once/],
    ['until on a non-looping stage', () => p().times(2).until(() => true), /until\(\) is only applicable to looping/],
    ['two quantifiers', () => p().oneOrMore().times(2), /times\(2, 2\): a quantifier \(timesOrMore\(1\)\) is already applied/],
    ['times(0)', () => p().times(0), /must be an integer > 0, got 0/],
    ['times(3, 2)', () => p().times(3, 2), /must be an integer >= 3, got 2/],
    ['optional twice', () => p().optional().optional(), /optional\(\): already applied/],
    ['greedy on a singleton', () => p().greedy(), /greedy\(\): not applicable to a singleton/],
    ['greedy with allowCombinations', () => p().oneOrMore().allowCombinations().greedy(), /greedy\(\): not applicable together with allowCombinations/],
    ['consecutive on a singleton', () => p().consecutive(), /consecutive\(\): only applicable to looping or times/],
    ['allowCombinations on a singleton', () => p().allowCombinations(), /allowCombinations\(\): only applicable/],
    ['consecutive and allowCombinations', () => p().oneOrMore().consecutive().allowCombinations(), /cannot be combined with consecutive/],
    ['a quantifier on a NOT stage', () => p().notNext('n').oneOrMore(), /Stage 'n': timesOrMore\(1\): not applicable to a NOT stage/],
    ['an optional NOT stage', () => p().notFollowedBy('n').optional(), /NOT stage cannot be optional/],
    ['a NOT stage after an optional one', () => p().optional().notFollowedBy('n'), /notFollowedBy\(\) cannot follow an optional stage/],
    ['notNext after an optional one', () => p().oneOrMore().optional().notNext('n'), /notNext\(\) cannot follow an optional stage/],
    ['optional after a greedy stage', () => p().oneOrMore().greedy().followedBy('b').optional(), /optional\(\) cannot follow the greedy stage 'a'/],
    ['a non-positive window', () => p().within(0), /within\(\) needs a positive duration/],
  ])('%s', (_, build, message) => rejects(build, message));

  test('errors name the stage in their context', () => {
    try {
      p().followedBy('b').optional().notNext('c');
    } catch (e) {
      expect((e as MalformedPatternError).context).toEqual({ stage: 'b' });
    }
    expect.assertions(1);
  });
});

describe('definition', () => {
  test('lists stages first to last with their quantifiers and the smallest window', () => {
    const d = p().within(50).followedByAny('b').oneOrMore().consecutive().within(20).definition();
    expect(d.stages.map((s) => [s.name, s.quantifier.consuming, s.quantifier.kind, s.quantifier.inner])).toEqual([
      ['a', 'strict', 'single', 'skipTillNext'],
      ['b', 'skipTillAny', 'looping', 'strict'],
    ]);
    expect(d.withinMs).toBe(20);
    expect(d.skipStrategy).toEqual({ kind: 'noSkip' });
  });
});
