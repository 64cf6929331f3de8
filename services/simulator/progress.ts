// Progress for a person at a terminal (a bar on stderr) or for a log collector (a line every few seconds).
import { SingleBar } from 'cli-progress';
import type { Logger } from '../shared/log';
import type { SimulationProgress } from './run';

export interface ProgressReporter {
  update(progress: SimulationProgress): void;
  stop(): void;
}

const LOG_EVERY_MS = 5_000;

export function createProgressReporter(interactive: boolean, logger: Logger): ProgressReporter {
  return interactive ? barReporter() : logReporter(logger);
}

function barReporter(): ProgressReporter {
  const bar = new SingleBar({
    format: 'simulating [{bar}] {percentage}% | {value}/{total} payments | eta {eta_formatted}',
    hideCursor: true,
    clearOnComplete: false,
  });
  let started = false;
  return {
    update({ transactions, expectedTransactions }) {
      if (!started) {
        bar.start(expectedTransactions, 0);
        started = true;
      }
      bar.update(transactions);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function logReporter(logger: Logger): ProgressReporter {
  let loggedAt = 0;
  return {
    update({ transactions, expectedTransactions }) {
      const now = Date.now();
      if (now - loggedAt < LOG_EVERY_MS) return;
      loggedAt = now;
      logger.info({ transactions, expectedTransactions }, 'simulation progress');
    },
    stop() {},
  };
}
