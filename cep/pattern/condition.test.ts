import { MalformedPatternError, Pattern, iterative } from './index';

type Ev = { kind: string; n: number };

describe('condition kinds', () => {
  test('a simple condition never sees the partial match, however it is written', () => {
    const seen: unknown[] = [];
    // A rest parameter has length 0: it would read the context if it were passed.
    const pattern = Pattern.begin<Ev>('a').where((...args: unknown[]) => {
      seen.push(args.length);
      return true;
    });
    const [stage] = pattern.definition().stages;
    expect(stage!.simple).toBe(true);
    stage!.condition!({ kind: 'a', n: 1 }, { eventsFor: () => [], timestamp: 0 });
    expect(seen).toEqual([1]);
  });

  test('an iterative condition is declared, and makes its stage not simple', () => {
    const pattern = Pattern.begin<Ev>('a').where((e) => e.kind === 'a').or(iterative((e, ctx) => ctx.eventsFor('a').length > e.n));
    expect(pattern.definition().stages[0]!.simple).toBe(false);
  });

  test('a function of the event and the partial match is refused where it is written', () => {
    const twoParameters = ((e: Ev, ctx: { timestamp: number }) => e.n > ctx.timestamp) as unknown as (e: Ev) => boolean;
    expect(() => Pattern.begin<Ev>('a').where(twoParameters)).toThrow(MalformedPatternError);
    expect(() => Pattern.begin<Ev>('a').where(twoParameters)).toThrow(/where\(\) was given a function of the event and the partial match: declare it with iterative/);
    expect(() => Pattern.begin<Ev>('a').where(42 as unknown as (e: Ev) => boolean)).toThrow(/where\(\) takes a function of the event or an iterative\(\) condition/);
  });

  test('subtype narrows the events a stage accepts and the type its later conditions see', () => {
    type Payment = Ev & { kind: 'payment'; amount: number };
    const isPayment = (e: Ev): e is Payment => e.kind === 'payment';
    const stage = Pattern.begin<Ev>('a').subtype(isPayment).where((p) => p.amount > 10).definition().stages[0]!;
    const ctx = { eventsFor: () => [], timestamp: 0 };
    expect(stage.condition!({ kind: 'payment', n: 0, amount: 11 } as Payment, ctx)).toBe(true);
    expect(stage.condition!({ kind: 'payment', n: 0, amount: 5 } as Payment, ctx)).toBe(false);
    // The type guard runs first, so the narrowed condition never sees another kind of event.
    expect(stage.condition!({ kind: 'refund', n: 0 }, ctx)).toBe(false);
    expect(stage.simple).toBe(true);
  });
});
