// patches/: kafkajs's produce request finds a record batch's first and greatest timestamp in one
// pass, not by sorting them as strings (which put 999999999999 after 1000000000000). If `npm ci`
// stops applying the patch, this fails.
const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request');
const Decoder = require('kafkajs/src/protocol/decoder');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');

interface DecodedBatch {
  firstTimestamp: string;
  maxTimestamp: string;
  records: Array<{ key: Buffer; timestamp: string }>;
}

/** Encodes one partition's messages as kafkajs sends them, and decodes the record batch back. */
async function roundTrip(messages: Array<{ key: string; value: string; timestamp?: number }>): Promise<DecodedBatch> {
  const request = produceRequest({ acks: -1, timeout: 1_000, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages }] }] });
  const decoder = new Decoder((await request.encode()).buffer);
  decoder.readString(); // transactional id
  decoder.readInt16(); // acks
  decoder.readInt32(); // timeout
  decoder.readInt32(); // topics
  decoder.readString(); // topic
  decoder.readInt32(); // partitions
  decoder.readInt32(); // partition
  decoder.readInt32(); // record set size
  return decodeRecordBatch(decoder);
}

describe('kafkajs produce request, as patched', () => {
  it('takes the least and greatest timestamp as numbers, and keeps each record’s own', async () => {
    const stamps = [1_000_000_000_500, 999_999_999_999, 1_000_000_000_000];
    const batch = await roundTrip(stamps.map((timestamp, i) => ({ key: `k${i}`, value: 'v', timestamp })));
    expect([batch.firstTimestamp, batch.maxTimestamp]).toEqual(['999999999999', '1000000000500']);
    expect(batch.records.map((r) => Number(r.timestamp))).toEqual(stamps);
  });

  it('stamps a batch without timestamps with the time of sending', async () => {
    const before = Date.now();
    const batch = await roundTrip([{ key: 'k', value: 'v' }]);
    expect(Number(batch.firstTimestamp)).toBeGreaterThanOrEqual(before);
    expect(batch.maxTimestamp).toBe(batch.firstTimestamp);
  });
});
