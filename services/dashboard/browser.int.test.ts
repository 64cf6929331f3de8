// The dashboard page in Chromium against a running pipeline (simulator, scorer, dashboard on the
// in-memory log): live rows arrive, and an alert is shown with the rules and evidence the scorer wrote.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Alert } from '../../schemas';
import { starterPack } from '../../rules/starter';
import { Topics } from '../shared/topics';
import { readTopic } from '../simulator/testing/memory-run';
import { launchChromium } from './testing/browser';
import { startLivePipeline, type LivePipeline } from './testing/live-pipeline';

const RULE_IDS = starterPack.rules.map((rule) => rule.id);

describe('dashboard page in Chromium', () => {
  let browser: Browser;
  let pipeline: LivePipeline;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    // Event time starts now and runs with the wall clock, as in production.
    pipeline = await startLivePipeline({ simulation: { seed: 7, rate: 200, count: 30_000, start: Date.now(), scenarios: 2 } });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(pipeline.url);
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.close();
  });

  it('connects and shows transactions as they are scored', async () => {
    await page.waitForSelector('[data-testid="connection-status"][data-state="live"]');
    const rows = page.getByTestId('transaction-row');
    await rows.nth(9).waitFor();
    const newest = await rows.first().getAttribute('data-transaction-id');
    // Live: a newer transaction takes the top row without a reload.
    await page.waitForSelector(`[data-testid="transaction-row"]:first-child:not([data-transaction-id=${JSON.stringify(newest)}])`);
    await expect(page.getByTestId('throughput').textContent()).resolves.toMatch(/^[1-9][\d,.]* tx\/s$/);
    await expect(page.getByTestId('watermark-lag').textContent()).resolves.toMatch(/\d (ms|s)$/);
    const approved = await page.getByTestId('decision-APPROVE').locator('.legend-count').textContent();
    expect(Number(approved!.replace(/\D/g, ''))).toBeGreaterThan(0);
    await expect(page.getByTestId('score-bin').count()).resolves.toBe(10);
  });

  it('shows an alert with the rules that fired, their explanation and evidence, as the scorer wrote them', async () => {
    const card = page.getByTestId('alert').first();
    await card.waitFor({ timeout: 90_000 });
    const alertId = await card.getAttribute('data-alert-id');
    const shownRule = await card.getByTestId('alert-rule').first().textContent();
    const shownExplanation = await card.getByTestId('alert-explanation').first().textContent();
    const shownEvidence = await card.getByTestId('alert-evidence').first().textContent();
    expect(RULE_IDS).toContain(shownRule);
    expect(shownExplanation).not.toBe('');

    const written = await writtenAlert(pipeline, alertId!);
    const hit = written.ruleHits[0]!;
    expect(shownRule).toBe(hit.ruleId);
    expect(shownExplanation).toBe(hit.explanation);
    for (const [name, value] of Object.entries(hit.evidence)) expect(shownEvidence).toContain(`${name}${value}`);
    expect(Object.keys(hit.evidence).length).toBeGreaterThan(0);

    await expect(page.getByTestId('rule-hit').count()).resolves.toBeGreaterThan(0);
  });

});

async function writtenAlert(pipeline: LivePipeline, alertId: string): Promise<Alert> {
  for (const record of await readTopic(pipeline.log, Topics.alerts)) {
    const decoded = await pipeline.serde.decode<Alert>(record.value);
    if (decoded.ok && decoded.value.alertId === alertId) return decoded.value;
  }
  throw new Error(`alert ${alertId} is on the page but not in ${Topics.alerts}`);
}

describe('dashboard page in Chromium, a model deciding', () => {
  let browser: Browser;
  let pipeline: LivePipeline;

  beforeAll(async () => {
    browser = await launchChromium();
    const model = { dir: join(__dirname, '..', 'scorer', 'model', 'testing', 'starter-model'), thresholds: { review: 0.01, decline: 0.9 } };
    pipeline = await startLivePipeline({ simulation: { seed: 7, rate: 200, count: 30_000, start: Date.now(), scenarios: 2 }, model });
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.close();
  });

  it("shows an alert with the model's score and the features that drove it, as the scorer wrote them", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(pipeline.url);
    const card = page.locator('[data-testid="alert"]:has([data-testid="alert-model"])').first();
    await card.waitFor({ timeout: 90_000 });
    const written = await writtenAlert(pipeline, (await card.getAttribute('data-alert-id'))!);
    const shown = await card.getByTestId('alert-contribution').evaluateAll((rows) =>
      rows.map((row) => ({ feature: row.getAttribute('data-feature'), meaning: row.getAttribute('title'), text: row.textContent })),
    );
    expect(written.model).not.toBeNull();
    expect(shown.map((row) => row.feature)).toEqual(written.model!.contributions.map((c) => c.feature));
    shown.forEach((row, i) => {
      const c = written.model!.contributions[i]!;
      expect(row.meaning).toMatch(/\w+ \w+/);
      expect(row.text).toContain(`${c.contribution >= 0 ? '+' : '−'}${Math.abs(c.contribution).toFixed(2)}`);
    });
    await expect(card.getByTestId('alert-model').textContent()).resolves.toContain(written.model!.model);
  });
});