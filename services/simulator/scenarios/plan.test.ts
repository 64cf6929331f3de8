import { Ids, Merchants } from '../population';
import { Random } from '../random';
import { SCENARIO_KINDS } from './catalog';
import { planScenarios, type ScenarioOrder } from './plan';

const START = Date.UTC(2026, 2, 2, 6);
const HOUR = 3_600_000;

function plan(order: ScenarioOrder, perKind: number) {
  const random = new Random(7);
  const ids = new Ids(7);
  return planScenarios({ random, ids, merchants: new Merchants(random, ids), start: START, runSpanMs: HOUR, perKind, order });
}

describe('scenario plan', () => {
  it('shortest-first plays rounds of every kind, each ordered by span', () => {
    const scenarios = plan('shortest-first', 2);
    const names = scenarios.map((s) => s.label.scenario);
    const round = [...SCENARIO_KINDS].sort((a, b) => a.spanMs - b.spanMs).map((k) => k.name);
    expect(names).toEqual([...round, ...round]);
    // The run opens with a scenario that completes at its anchor, a few seconds in.
    expect(scenarios[0]!.label).toMatchObject({ scenario: 'over-limit', fraud: true });
    expect(scenarios[0]!.label.eventTime - START).toBeLessThan(30_000);
  });

  it('shuffled interleaves the same instances in another order', () => {
    const shuffled = plan('shuffled', 2).map((s) => s.label.scenario);
    const ordered = plan('shortest-first', 2).map((s) => s.label.scenario);
    expect(shuffled).not.toEqual(ordered);
    expect([...shuffled].sort()).toEqual([...ordered].sort());
  });
});
