import { BATCH_HEADER_BYTES, recordBytes } from '../record-size';
import type { OutgoingRecord } from '../types';
import { chunkBySize } from './producer';

const record = (bytes: number, topic = 't'): OutgoingRecord => ({ topic, key: Buffer.alloc(4), value: Buffer.alloc(bytes) });
const unlimited = () => Number.MAX_SAFE_INTEGER;
const sum = (records: readonly OutgoingRecord[]) => records.reduce((total, r) => total + recordBytes(r), 0);

describe('chunkBySize', () => {
  it('keeps every record, in order, in requests under the byte budget', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ ...record(100 + i), partition: i }));
    const chunks = chunkBySize(records, unlimited, 2_000);
    expect(chunks.flat()).toEqual(records);
    for (const chunk of chunks) expect(sum(chunk)).toBeLessThanOrEqual(2_000);
    expect(chunks.length).toBeGreaterThan(5);
  });

  it("keeps each topic's share of a request within its max.message.bytes, as one record batch", () => {
    const records = Array.from({ length: 60 }, (_, i) => record(1_000, i % 3 === 0 ? 'narrow' : 'wide'));
    const limits: Record<string, number> = { narrow: 4_500, wide: 1_000_000 };
    const chunks = chunkBySize(records, (topic) => limits[topic]!);
    expect(chunks.flat()).toEqual(records);
    for (const chunk of chunks) {
      for (const topic of ['narrow', 'wide']) {
        const ofTopic = chunk.filter((r) => r.topic === topic);
        if (ofTopic.length > 0) expect(BATCH_HEADER_BYTES + sum(ofTopic)).toBeLessThanOrEqual(limits[topic]!);
      }
    }
    // Four records of the narrow topic fit in a batch of 4,500 bytes: twenty take five requests.
    expect(chunks).toHaveLength(5);
  });

  it('sends a record larger than the budget on its own rather than dropping it', () => {
    const chunks = chunkBySize([record(10), record(5_000), record(10)], unlimited, 1_000);
    expect(chunks.map((c) => c.map((r) => r.value?.length))).toEqual([[10], [5_000], [10]]);
  });

  it('sends nothing for no records', () => {
    expect(chunkBySize([], unlimited)).toEqual([]);
  });
});
