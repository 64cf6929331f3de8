import { CepErrorCode, isCepError } from '../errors';
import { Pattern } from '../pattern';
import { type PatternEvent, isAuth, isTransaction } from './pattern-event';
import { defineRule, type RuleSpec } from './rule';

const base: RuleSpec = {
  id: 'big-spend',
  description: 'a large transaction',
  severity: 'LOW',
  key: 'account',
  score: 0.1,
  when: (tx) => (tx.value.amountMinor > 1_000 ? { amountMinor: tx.value.amountMinor } : null),
  explain: () => 'big',
};

function rejection(spec: Record<string, unknown>): string {
  try {
    defineRule({ ...base, ...spec } as RuleSpec);
  } catch (error) {
    if (!isCepError(error, CepErrorCode.MalformedPattern)) throw error;
    return error.message;
  }
  throw new Error('the rule was accepted');
}

const tx = (amountMinor: number, time = 0): PatternEvent => ({ kind: 'transaction', id: 't', time, tx: { amountMinor } as never, msSincePreviousTransaction: null });
const login: PatternEvent = { kind: 'auth', id: 'a', time: 0, auth: { type: 'LOGIN_SUCCESS' } as never };

describe('defineRule', () => {
  it('rejects a bad rule with an error naming it', () => {
    expect(rejection({ id: 'Big Spend' })).toBe("Rule 'Big Spend': the id must be kebab case (a-z, 0-9, single dashes)");
    expect(rejection({ description: ' ' })).toBe("Rule 'big-spend': needs a description");
    expect(rejection({ severity: 'SEVERE' })).toBe("Rule 'big-spend': unknown severity 'SEVERE'");
    expect(rejection({ key: 'merchant' })).toBe("Rule 'big-spend': key must be 'account' or 'card', got 'merchant'");
    expect(rejection({ score: 0 })).toBe("Rule 'big-spend': score must be in (0, 1], got 0");
    expect(rejection({ score: 1.5 })).toBe("Rule 'big-spend': score must be in (0, 1], got 1.5");
    expect(rejection({ score: Number.NaN })).toBe("Rule 'big-spend': score must be in (0, 1], got NaN");
    expect(rejection({ when: undefined })).toBe("Rule 'big-spend': needs a when condition, a pattern, or both");
    expect(rejection({ explain: undefined })).toBe("Rule 'big-spend': needs an explain function");
  });

  it('rejects a pattern without within: partial matches would never end', () => {
    const pattern = Pattern.begin<PatternEvent>('a').where(isAuth('LOGIN_SUCCESS')).followedBy('b');
    expect(rejection({ pattern })).toBe("Rule 'big-spend': the pattern needs within(): unbounded partial matches would hold state forever");
  });

  it('wraps a pattern the compiler rejects, keeping its cause', () => {
    const pattern = Pattern.begin<PatternEvent>('a').followedBy('b').notFollowedBy('c');
    expect(rejection({ pattern })).toMatch(/^Rule 'big-spend': malformed pattern: notFollowedBy\('c'\) as the last stage needs within\(\)/);
  });

  it('knows which events can start a run, looking past optional stages', () => {
    const plain = defineRule({ ...base, pattern: Pattern.begin<PatternEvent>('a').where(isTransaction((e) => e.tx.amountMinor > 5)).followedBy('b').within(1_000) });
    expect([plain.pattern!.mayStart(tx(6)), plain.pattern!.mayStart(tx(5)), plain.pattern!.mayStart(login)]).toEqual([true, false, false]);
    const optionalFirst = defineRule({
      ...base,
      pattern: Pattern.begin<PatternEvent>('a').where(isTransaction()).optional().followedBy('b').where(isAuth('LOGIN_SUCCESS')).within(1_000),
    });
    expect([optionalFirst.pattern!.mayStart(tx(1)), optionalFirst.pattern!.mayStart(login)]).toEqual([true, true]);
    const anything = defineRule({ ...base, pattern: Pattern.begin<PatternEvent>('a').followedBy('b').within(1_000) });
    expect(anything.pattern!.mayStart(login)).toBe(true);
  });

  it('returns a frozen rule', () => {
    expect(Object.isFrozen(defineRule(base))).toBe(true);
  });
});
