// GET /recording on a running pipeline (npm start): the recording of its inputs and labels, for
// npm run backtest. The in-memory log of `npm start` is reachable from its own process only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { parseDuration, parseTime } from '../shared/cli';
import type { Logger } from '../shared/log';
import type { RecordLog } from '../shared/stream';
import type { TopicNames } from '../shared/topics';
import { DEFAULT_WARMUP_MS, recordHistory } from './record';

export interface RecordingEndpointOptions {
  readonly log: RecordLog;
  readonly topics: TopicNames;
  readonly registryUrl: string;
  readonly source: string;
  readonly logger: Logger;
}

function query(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' ? value : undefined;
}

/** `?from=&to=` (ISO time or epoch ms, optional) and `?warmup=` (default 1h), as npm run record takes them. */
export function recordingEndpoint(options: RecordingEndpointOptions): RequestHandler {
  return (request: Request, response: Response) => {
    let range: { from?: number; to?: number; warmupMs: number };
    try {
      const from = query(request, 'from');
      const to = query(request, 'to');
      const warmup = query(request, 'warmup');
      range = {
        from: from === undefined ? undefined : parseTime(from, Date.now, 'from'),
        to: to === undefined ? undefined : parseTime(to, Date.now, 'to'),
        warmupMs: warmup === undefined ? DEFAULT_WARMUP_MS : parseDuration(warmup, 'warmup'),
      };
    } catch (error) {
      response.status(400).json({ error: (error as Error).message });
      return;
    }
    const scratch = mkdtempSync(join(tmpdir(), 'peregrine-recording-'));
    const out = join(scratch, 'history.avro');
    const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
    recordHistory({ ...options, ...range, out })
      .then(() => response.download(out, 'history.avro', cleanUp))
      .catch((error: unknown) => {
        cleanUp();
        options.logger.error({ err: error }, 'recording failed');
        response.status(500).json({ error: `recording failed: ${(error as Error).message}` });
      });
  };
}
