// Debian's Chromium driven by playwright-core, for the browser test and the screenshot script.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Fails with what to do when Chromium is missing, instead of playwright's download hint. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; the dashboard's browser test needs it. Install it with \`apt-get install -y chromium\` (.ci/run does so when it is missing).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
