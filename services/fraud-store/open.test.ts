import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from '../shared/stream';
import { createLogger } from '../shared/log';
import { openPgliteStore } from './open';
import { scoredTransactionSink } from './sinks';
import { storeBatch } from './store-batch';
import { scoredTransaction, T0 } from './testing/fixtures';

const logger = createLogger('test', 'silent');
const record: LogRecord = { topic: 'fraud.scored', partition: 0, offset: '0', key: null, value: Buffer.from('raw'), timestamp: T0, headers: {} };

describe('the embedded database', () => {
  it('keeps what it stored across a restart when given a data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-data-'));
    try {
      const first = await openPgliteStore(logger, join(dir, 'database'));
      await storeBatch(first.db, scoredTransactionSink, [{ record, value: scoredTransaction('tx-kept') }], []);
      await first.close();

      const second = await openPgliteStore(logger, join(dir, 'database'));
      const { rows } = await second.db.query<{ transaction_id: string }>('SELECT transaction_id FROM scored_transactions');
      await second.close();
      expect(rows).toEqual([{ transaction_id: 'tx-kept' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
