import { resolveOptions } from './options';

describe('resolveOptions', () => {
  it('derives the event rate, the count from a duration, and the population from the rate', () => {
    expect(resolveOptions({ rate: 0 })).toMatchObject({ eventRate: 100, count: 10_000, accounts: 6_000 });
    expect(resolveOptions({ rate: 200, durationMs: 90_000 })).toMatchObject({ eventRate: 200, count: 18_000, accounts: 12_000 });
    expect(resolveOptions({ rate: 0, eventRate: 2 })).toMatchObject({ accounts: 1_000 });
  });

  it('holds both kinds of fraud by default, behavioural fraud at 3 instances per 10,000 payments', () => {
    expect(resolveOptions({})).toMatchObject({ mix: 'both', fraudRate: 3 });
    expect(resolveOptions({ mix: 'behavioural', fraudRate: 0 })).toMatchObject({ mix: 'behavioural', fraudRate: 0 });
  });

  it.each([
    [{ outOfOrderMs: 5_000, boundMs: 5_000 }, 'outOfOrderMs (5000) must stay below'],
    [{ rate: 0, accounts: 100 }, 'accounts (100) must be at least 4000'],
    [{ lateRatio: 2 }, 'lateRatio must be in [0, 1]'],
    [{ count: 1.5 }, 'count must be an integer'],
    [{ partitions: 0 }, 'partitions must be a number > 0'],
    [{ scenarioOrder: 'random' as never }, 'scenarioOrder must be "shuffled" or "shortest-first"'],
    [{ mix: 'all' as never }, 'mix must be one of rules, behavioural, both, got all'],
    [{ fraudRate: 101 }, 'fraudRate must be in [0, 100] instances per 10,000 baseline payments, got 101'],
    [{ fraudRate: -1 }, 'fraudRate must be in [0, 100]'],
    [{ fraudRate: Number.NaN }, 'fraudRate must be in [0, 100]'],
  ])('rejects %p', (options, message) => {
    expect(() => resolveOptions(options)).toThrow(message);
  });
});
