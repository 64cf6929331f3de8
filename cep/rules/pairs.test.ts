import fc from 'fast-check';
import { CepErrorCode, isCepError } from '../errors';
import { Pattern } from '../pattern';
import { transaction } from '../testing';
import { expectRule } from './expect-rule';
import { type PatternEvent, isTransaction } from './pattern-event';
import { defineRule, type RuleSpec, transactionsIn } from './rule';

const T0 = 1_700_000_000_000;
const WINDOW_MS = 10_000;
const isPos = (e: PatternEvent): boolean => e.kind === 'transaction' && e.tx.channel === 'POS';

const common = {
  id: 'pos-pairs',
  description: 'two POS transactions far apart',
  severity: 'LOW',
  key: 'account',
  score: 0.3,
  when: (_tx, match) => {
    const [from] = transactionsIn(match, 'from');
    const [to] = transactionsIn(match, 'to');
    return Math.abs(from!.tx.lat - to!.tx.lat) >= 1 ? { gap: to!.time - from!.time } : null;
  },
  explain: ({ evidence }) => `gap ${evidence.gap}`,
} satisfies Omit<RuleSpec, 'pattern' | 'pairs'>;

const asPattern = defineRule({
  ...common,
  pattern: Pattern.begin<PatternEvent>('from').where(isTransaction(isPos)).followedBy('to').where(isTransaction(isPos)).within(WINDOW_MS),
});
const asPairs = defineRule({ ...common, pairs: { first: 'from', second: 'to', where: isPos, withinMs: WINDOW_MS } });

function rejection(pairs: unknown, extra: Partial<RuleSpec> = {}): string {
  try {
    defineRule({ ...common, ...extra, pairs } as RuleSpec);
  } catch (error) {
    if (!isCepError(error, CepErrorCode.MalformedPattern)) throw error;
    return error.message;
  }
  throw new Error('the rule was accepted');
}

describe('pairs rules', () => {
  it('fire exactly where the equivalent followedBy pattern fires, with the same hits', () => {
    const step = fc.record({ gap: fc.integer({ min: 0, max: 8_000 }), pos: fc.boolean(), far: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        let time = T0;
        const inputs = steps.map(({ gap, pos, far }, i) => {
          time += gap;
          return transaction({ transactionId: `t${i}`, eventTime: time, channel: pos ? 'POS' : 'ECOM', lat: far ? 10 : 50 });
        });
        expect(expectRule(asPairs).given(inputs).outputs).toEqual(expectRule(asPattern).given(inputs).outputs);
      }),
    );
  });

  it('pair only within the window, which excludes its end', () => {
    const at = (id: string, ms: number, lat: number) => transaction({ transactionId: id, eventTime: T0 + ms, channel: 'POS', lat });
    expectRule(asPairs).given([at('a', 0, 50), at('b', WINDOW_MS, 10), at('c', WINDOW_MS + 1, 50)]).toHit('c');
  });

  it('are rejected when malformed, naming the rule', () => {
    const pairs = { first: 'from', second: 'to', where: isPos, withinMs: WINDOW_MS };
    expect(rejection({ ...pairs, second: 'from' })).toBe("Rule 'pos-pairs': pairs need two different stage names, first and second");
    expect(rejection({ ...pairs, where: undefined })).toBe("Rule 'pos-pairs': pairs need a where function");
    expect(rejection({ ...pairs, withinMs: 0 })).toBe("Rule 'pos-pairs': pairs need withinMs, a positive integer: got 0");
    expect(rejection(pairs, { pattern: Pattern.begin<PatternEvent>('a').within(1) })).toBe("Rule 'pos-pairs': has both a pattern and pairs: pick one");
  });
});
