// Progress of long terminal work, for a person (a bar on stderr) or for a log collector (a line every
// few seconds when stderr is not a terminal).
import { SingleBar } from 'cli-progress';
import type { Logger } from './log';

export interface Progress {
  update(value: number, total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** What is being done, e.g. "recording". */
  readonly doing: string;
  /** What is counted, e.g. "records". */
  readonly unit: string;
  /** A bar on stderr when true; log lines otherwise. */
  readonly interactive: boolean;
  readonly logger: Logger;
}

const LOG_EVERY_MS = 5_000;

export function createProgress({ doing, unit, interactive, logger }: ProgressOptions): Progress {
  if (interactive) {
    const bar = new SingleBar({ format: `${doing} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`, hideCursor: true, clearOnComplete: false });
    let started = false;
    return {
      update(value, total) {
        if (!started) bar.start(total, value);
        started = true;
        bar.setTotal(total);
        bar.update(value);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let loggedAt = 0;
  return {
    update(value, total) {
      const now = Date.now();
      if (now - loggedAt < LOG_EVERY_MS) return;
      loggedAt = now;
      logger.info({ [unit]: value, total }, `${doing} progress`);
    },
    stop() {},
  };
}
