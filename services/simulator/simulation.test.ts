// The generated run as a pure function of its options: reproducible, complete, shuffled only within
// the bound, late only where asked.
import { MALFORMED_KINDS } from './malformed';
import { resolveOptions, type SimulationOptions } from './options';
import type { SimRecord } from './records';
import { Simulation } from './simulation';

const idOf = (r: SimRecord) => {
  switch (r.kind) {
    case 'transaction':
      return r.value.transactionId;
    case 'auth':
      return r.value.eventId;
    case 'profile':
      return `${r.value.accountId}@${r.value.updatedAt}`;
    case 'label':
      return `label:${r.value.eventId}`;
  }
};

function run(options: SimulationOptions): { simulation: Simulation; stream: SimRecord[] } {
  const simulation = new Simulation(resolveOptions({ rate: 0, count: 20_000, accounts: 5_000, ...options }));
  return { simulation, stream: [...simulation.records()] };
}

describe('Simulation', () => {
  it('generates the same records for the same seed, and different ones for another seed', () => {
    const a = run({ seed: 7, malformed: 9 });
    const b = run({ seed: 7, malformed: 9 });
    // Compared as text: a deep equality over tens of thousands of records is needlessly slow.
    expect(JSON.stringify(b.simulation.history)).toBe(JSON.stringify(a.simulation.history));
    expect(JSON.stringify(b.stream)).toBe(JSON.stringify(a.stream));
    const other = run({ seed: 8, malformed: 9 });
    expect(other.stream.slice(0, 100).map(idOf)).not.toEqual(a.stream.slice(0, 100).map(idOf));
    expect(other.stream[0]!.value).not.toEqual(a.stream[0]!.value);
  });

  it('publishes a history in event-time order, before the run starts, with the dormant accounts’ old payments', () => {
    const { simulation } = run({ count: 1_000 });
    const times = simulation.history.map((r) => r.timestamp);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const start = resolveOptions({}).start;
    expect(Math.max(...times)).toBeLessThan(start);
    const old = simulation.history.filter((r) => r.kind === 'transaction');
    expect(old.length).toBe(3); // one per dormant-burst kind
    expect(old.every((r) => r.timestamp < start - 88 * 86_400_000)).toBe(true);
    expect(simulation.history.filter((r) => r.kind === 'profile')).toHaveLength(simulation.baselineAccounts.length + 1 + simulation.scenarios.length);
  });

  it('shuffles within the window and publishes late only the records it holds back, all of them', () => {
    const ordered = run({ seed: 3, outOfOrderMs: 0, lateRatio: 0, malformed: 9 }).stream;
    const shuffled = run({ seed: 3, outOfOrderMs: 2_000, boundMs: 5_000, lateRatio: 0.01, malformed: 9 }).stream;
    expect(shuffled.map(idOf).sort()).toEqual(ordered.map(idOf).sort());
    expect(shuffled.map(idOf)).not.toEqual(ordered.map(idOf));

    let frontier = -Infinity;
    const behind: number[] = [];
    for (const record of shuffled) {
      behind.push(frontier - record.timestamp);
      frontier = Math.max(frontier, record.timestamp);
    }
    const late = shuffled.filter((_, i) => behind[i]! > 5_000);
    const onTime = behind.filter((b) => b <= 5_000);
    expect(Math.max(...onTime)).toBeLessThan(2_000);
    expect(Math.max(...onTime)).toBeGreaterThan(1_000);
    // Late records are ordinary or behavioural payments (never a rule scenario's), held until the
    // stream is twice the bound past them.
    expect(late.every((r) => (r.origin === 'baseline' || r.origin === 'behaviour') && r.kind === 'transaction')).toBe(true);
    expect(late.every((r) => behind[shuffled.indexOf(r)]! > 10_000)).toBe(true);
    expect(late.length).toBeGreaterThan(140);
    expect(late.length).toBeLessThan(260);
  });

  it('keeps every event time in order when no disorder is asked for', () => {
    const { stream } = run({ outOfOrderMs: 0, lateRatio: 0 });
    const times = stream.map((r) => r.timestamp);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('publishes every scenario with its label, and labels only completed scenarios', () => {
    const { simulation, stream } = run({ scenarios: 2 });
    const ids = new Set(stream.map(idOf));
    for (const scenario of simulation.scenarios) {
      for (const record of scenario.events) expect(ids.has(idOf(record))).toBe(true);
      expect(ids.has(scenario.label.eventId)).toBe(true);
    }
    expect(stream.filter((r) => r.kind === 'label' && !r.value.behavioural)).toHaveLength(simulation.scenarios.length);
    // Scenario accounts get nothing but their scenario.
    const scenarioAccounts = new Set(simulation.scenarios.map((s) => s.account.id));
    expect(stream.filter((r) => r.origin !== 'scenario' && scenarioAccounts.has(r.key ?? ''))).toEqual([]);
  });

  it('spreads malformed records over the run, cycling through the kinds', () => {
    const { stream } = run({ malformed: 18 });
    const malformed = stream.filter((r) => r.malformed);
    expect(malformed.map((r) => r.malformed)).toEqual([...Object.keys(MALFORMED_KINDS), ...Object.keys(MALFORMED_KINDS)]);
    const positions = malformed.map((r) => stream.indexOf(r) / stream.length);
    expect(positions[0]).toBeLessThan(0.1);
    expect(positions[17]).toBeGreaterThan(0.9);
  });

  it('stops early on request and still yields what it generated', () => {
    const simulation = new Simulation(resolveOptions({ rate: 0, count: 20_000 }));
    const seen: SimRecord[] = [];
    for (const record of simulation.records()) {
      seen.push(record);
      if (seen.length === 1_000) simulation.stop();
    }
    expect(seen.length).toBeGreaterThan(1_000);
    expect(seen.length).toBeLessThan(1_500);
  });

  it('counts the payments of the full run', () => {
    const { simulation, stream } = run({ malformed: 5 });
    expect(simulation.expectedTransactions).toBe(
      [...simulation.history, ...stream].filter((r) => r.kind === 'transaction').length,
    );
  });
});
