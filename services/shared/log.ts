// Structured logs for every process: JSON lines from pino, level from LOG_LEVEL.
import pino, { type Logger } from 'pino';

export type { Logger };

/** Logs go to stdout, or to `fd` (2 for stderr) where stdout carries a program's output. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', fd: 1 | 2 = 1): Logger {
  return pino({ name: service, level, base: { service } }, pino.destination(fd));
}
