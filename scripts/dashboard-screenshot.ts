// `npm run dashboard:screenshot`: docs/dashboard.png, the dashboard with live data, for the README and docs/dashboard.md.
// Runs the in-memory pipeline for about 40 s, so that the throughput chart has a history and a few
// alerts are on screen, then photographs the page in Chromium. The run spans two minutes of event
// time: the simulator spreads its fraud scenarios over the run (a longer one would show fewer of them
// by then), and publishes the scenario events left at its end all at once, ahead of the wall clock.
import { join } from 'node:path';
import { launchChromium } from '../services/dashboard/testing/browser';
import { startLivePipeline } from '../services/dashboard/testing/live-pipeline';

const OUT = join(__dirname, '..', 'docs', 'dashboard.png');
const ALERTS_ON_SCREEN = 3;
const HISTORY_MS = 40_000;
const RATE = 300;

async function main(): Promise<void> {
  const pipeline = await startLivePipeline({ simulation: { seed: 7, rate: RATE, count: RATE * 120, start: Date.now(), scenarios: 3 } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1180 } });
    await page.goto(pipeline.url);
    const startedAt = Date.now();
    await page.getByTestId('alert').nth(ALERTS_ON_SCREEN - 1).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(Math.max(0, HISTORY_MS - (Date.now() - startedAt)));
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
    await pipeline.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
