import type { OutgoingRecord } from '../types';
import { chunkBySize } from './producer';

const record = (bytes: number): OutgoingRecord => ({ topic: 't', key: Buffer.alloc(4), value: Buffer.alloc(bytes) });

describe('chunkBySize', () => {
  it('keeps every record, in order, in requests under the byte budget', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ ...record(100 + i), partition: i }));
    const chunks = chunkBySize(records, 2_000);
    expect(chunks.flat()).toEqual(records);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, r) => sum + 4 + (r.value?.length ?? 0) + 32, 0);
      expect(bytes).toBeLessThanOrEqual(2_000);
    }
    expect(chunks.length).toBeGreaterThan(5);
  });

  it('sends a record larger than the budget on its own rather than dropping it', () => {
    const chunks = chunkBySize([record(10), record(5_000), record(10)], 1_000);
    expect(chunks.map((c) => c.map((r) => r.value?.length))).toEqual([[10], [5_000], [10]]);
  });

  it('sends nothing for no records', () => {
    expect(chunkBySize([])).toEqual([]);
  });
});
