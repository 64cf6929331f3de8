// How a service process ends: once, closing its parts in order, on SIGTERM or SIGINT or when a part
// calls the returned function (a consumer that crashed for good, for the supervisor to restart it).
import type { Logger } from './log';

export type Shutdown = (reason: string, exitCode: number) => void;

export function shutdownOnSignals(service: string, logger: Logger, closers: ReadonlyArray<() => Promise<void>>): Shutdown {
  let stopping = false;
  const shutdown: Shutdown = (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, `${service} stopping`);
    closers
      .reduce((done, close) => done.then(close), Promise.resolve())
      .then(
        () => process.exit(exitCode),
        (error: unknown) => {
          logger.error({ err: error }, `${service} did not stop cleanly`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));
  return shutdown;
}
