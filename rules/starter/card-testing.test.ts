import { expectRule } from '../../cep/rules';
import { transaction } from '../../cep/testing';
import { rule } from './card-testing';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const charge = (id: string, at: number, amountMinor: number, cardId = 'card-1') => transaction({ transactionId: id, eventTime: T0 + at, amountMinor, cardId });

describe('card-testing', () => {
  it('fires on a large charge after three probes on the card within 10 min', () => {
    const run = expectRule(rule)
      .given([charge('p1', 0, 100), charge('p2', MIN, 200), charge('p3', 2 * MIN, 50), charge('big', 9 * MIN, 50_000)])
      .toHit('big');
    const hit = run.hitOn('big');
    expect(hit.explanation).toBe('3 probes of at most EUR 2.00 on card card-1, then a charge of EUR 500.00, within 9m');
    expect(hit.stages).toEqual([
      { stage: 'probes', eventIds: ['p1', 'p2', 'p3'], eventTimes: [T0, T0 + MIN, T0 + 2 * MIN] },
      { stage: 'charge', eventIds: ['big'], eventTimes: [T0 + 9 * MIN] },
    ]);
    expect(hit).toMatchObject({ severity: 'CRITICAL', contribution: 0.85, evidence: { matchedEvents: '4', matchSpanMs: String(9 * MIN) } });
  });

  it('reports a longer run of probes once, with every probe', () => {
    const run = expectRule(rule)
      .given([charge('p1', 0, 1), charge('p2', 1_000, 1), charge('p3', 2_000, 1), charge('p4', 3_000, 1), charge('big', 4_000, 90_000), charge('big2', 5_000, 90_000)])
      .toHit('big');
    expect(run.hitOn('big').stages[0]!.eventIds).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('ignores non-probe transactions in between', () => {
    expectRule(rule).given([charge('p1', 0, 100), charge('x', 1_000, 5_000), charge('p2', 2_000, 100), charge('p3', 3_000, 100), charge('big', 4_000, 60_000)]).toHit('big');
  });

  it('does not fire on two probes then a large charge', () => {
    expectRule(rule).given([charge('p1', 0, 100), charge('p2', MIN, 100), charge('big', 2 * MIN, 50_000)]).toNotHit();
  });

  it('does not fire when the charge comes 10 min + 1 s after the first probe', () => {
    expectRule(rule).given([charge('p1', 0, 100), charge('p2', MIN, 100), charge('p3', 2 * MIN, 100), charge('big', 10 * MIN + 1_000, 50_000)]).toNotHit();
  });

  it('does not fire on probes of 201 or a charge of 49,999', () => {
    expectRule(rule).given([charge('p1', 0, 100), charge('p2', 1, 100), charge('p3', 2, 201), charge('big', 3, 50_000)]).toNotHit();
    expectRule(rule).given([charge('p1', 0, 100), charge('p2', 1, 100), charge('p3', 2, 200), charge('big', 3, 49_999)]).toNotHit();
  });

  it('keeps cards apart: probes on one card and the charge on another do not match', () => {
    expectRule(rule).given([charge('p1', 0, 100), charge('p2', 1, 100), charge('p3', 2, 100, 'card-2'), charge('big', 3, 50_000, 'card-2')]).toNotHit();
  });
});
