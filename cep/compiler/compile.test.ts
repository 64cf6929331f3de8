import { AfterMatchSkip, MalformedPatternError, Pattern } from '../pattern';
import { compile } from './index';

type Ev = { kind: string };

describe('compile', () => {
  test('rejects a trailing notFollowedBy without within', () => {
    const p = Pattern.begin<Ev>('a').notFollowedBy('b');
    expect(() => compile(p)).toThrow(MalformedPatternError);
    expect(() => compile(p)).toThrow(/notFollowedBy\('b'\) as the last stage needs within\(\)/);
    expect(() => compile(Pattern.begin<Ev>('a').notFollowedBy('b').within(10))).not.toThrow();
  });

  test('rejects a skip strategy that names a missing stage', () => {
    const p = Pattern.begin<Ev>('a', AfterMatchSkip.skipToLast('nope')).next('b');
    expect(() => compile(p)).toThrow(/skipToLast\('nope'\): the pattern has no stage named 'nope'/);
  });

  test('builds take, ignore and proceed edges like NFACompiler for a b+ c', () => {
    const p = Pattern.begin<Ev>('a').followedBy('b').oneOrMore().next('c').within(5);
    const automaton = compile(p);
    const edges = automaton.states.map((s) => `${s.name}[${s.kind}]: ${s.transitions.map((t) => `${t.action}->${t.target.name}`).join(' ')}`);
    expect(edges).toEqual([
      '$end$[final]: ',
      'c[normal]: take->$end$',
      'b[normal]: proceed->c take->b ignore->b:1',
      'b:1[normal]: take->b ignore->b:1',
      'b:2[normal]: take->b ignore->b:2',
      'a[start]: take->b:2',
    ]);
    expect(automaton.start.name).toBe('a');
    expect(automaton.windowMs).toBe(5);
  });

  test('gives state names that are unique and stable across compilations', () => {
    const p = () => Pattern.begin<Ev>('a').followedBy('b').times(2, 3).notFollowedBy('n').within(9);
    expect(compile(p()).states.map((s) => s.name)).toEqual(compile(p()).states.map((s) => s.name));
    expect(new Set(compile(p()).states.map((s) => s.name)).size).toBe(compile(p()).states.length);
  });
});
