// A backtest from a simulated recording to its reports: every payment decided and measured once, two
// variants in one pass, and the reports holding what the figures say.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { starterPack } from '../../rules/starter';
import { createLogger } from '../shared/log';
import { runSimulation } from '../simulator/run';
import { recordingDestination } from '../simulator/to-recording';
import type { RunSummary } from '../simulator/summary';
import { type BacktestResult, runBacktest } from './backtest';
import { toJson, toText, writeHtmlReport } from './report';

const SETTINGS = { outOfOrdernessMs: 5_000, idleTimeoutMs: 100, allowedLatenessMs: 60_000, aheadBoundMs: 3_600_000, maxFutureSkewMs: 365 * 86_400_000 };

describe('a backtest of a simulated history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backtest-'));
  const path = join(dir, 'history.avro');
  let summary: RunSummary;
  let result: BacktestResult;

  beforeAll(async () => {
    const options = { seed: 5, count: 30_000, rate: 0, eventRate: 2, accounts: 1_500, mix: 'both' as const, fraudRate: 20, malformed: 5 };
    const destination = await recordingDestination(path, options, 'test');
    summary = await runSimulation(options, destination.deps);
    await destination.close();
    result = await runBacktest({
      input: path,
      variants: [
        { name: 'starter', pack: starterPack },
        { name: 'starter, reviewing from 0.3', pack: starterPack, thresholds: { review: 0.3 } },
      ],
      settings: SETTINGS,
      logger: createLogger('backtest-test', 'silent'),
    });
  }, 120_000);

  it('decides and measures every payment once, in each variant', () => {
    for (const variant of result.variants) {
      const dead = Object.values(variant.deadLetters).reduce((a, b) => a + b, 0);
      expect(variant.scored + dead).toBe(summary.transactions);
      expect(variant.figures.payments).toBe(variant.scored);
      // Every behavioural payment is labelled; a rule scenario's label is on a payment or, for a login pattern, on the login.
      const behavioural = Object.values(summary.behavioural).reduce((a, b) => a + b, 0);
      const scenarios = Object.values(summary.scenarios).reduce((a, b) => a + b, 0);
      expect(variant.figures.fraudPayments).toBeGreaterThanOrEqual(behavioural + scenarios - summary.scenarios['failed-logins']! - summary.scenarios['login-decline-lockout']!);
      expect(variant.figures.fraudPayments).toBeLessThanOrEqual(behavioural + scenarios);
      expect(variant.deadLetters).toMatchObject({ BAD_MAGIC_BYTE: expect.any(Number) });
    }
  });

  it('finds behavioural fraud, and a lower review threshold only adds alerts', () => {
    const [starter, lower] = result.variants;
    expect(Object.keys(starter!.figures.instancesByBehaviour)).toEqual(expect.arrayContaining(['card-testing', 'account-takeover']));
    expect(starter!.figures.atThresholds.instanceRecall).toBeGreaterThan(0);
    expect(result.compare!.removed).toEqual([]);
    expect(result.compare!.added.length).toBe(lower!.figures.alerted.size - starter!.figures.alerted.size);
    expect(lower!.figures.atThresholds.instanceRecall).toBeGreaterThanOrEqual(starter!.figures.atThresholds.instanceRecall);
  });

  it('reports the figures as tables, JSON and a page with the curves', () => {
    const text = toText(result);
    expect(text).toContain('fraud instances caught');
    expect(text).toContain(`${result.compare!.added.length} alerts added`);
    const json = toJson(result) as { variants: Array<{ figures: { curve: unknown[]; alerted: number } }> };
    expect(json.variants[0]!.figures.alerted).toBe(result.variants[0]!.figures.alerted.size);
    expect(json.variants[0]!.figures.curve.length).toBeGreaterThan(10);
    const page = readFileSync(writeHtmlReport(result, join(dir, 'report')), 'utf8');
    expect(page).toContain('new Chart(');
    expect(page).not.toMatch(/<script src=/);
    expect(existsSync(join(dir, 'report', 'backtest.json'))).toBe(true);
  });
});
