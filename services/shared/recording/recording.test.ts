import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import avro from 'avsc';
import type { LogRecord } from '../stream';
import { RECORDED_RECORD_SCHEMA, type RecordingHeader, readRecording, readRecordingHeader, recordingWriter } from './recording';

const header: RecordingHeader = {
  format: 1,
  source: 'test',
  from: 1_000,
  to: 2_000,
  topics: { transactions: 'payments.transactions', profiles: 'accounts.profiles', authEvents: 'auth.events', labels: 'fraud.labels' },
  partitions: 2,
  records: 2,
  schemas: [{ id: 1, subject: 'payments.transactions-value', version: 1, schema: '"string"' }],
};

const records: LogRecord[] = [
  { topic: 'payments.transactions', partition: 1, offset: '0', key: Buffer.from('acct-1'), value: Buffer.from([0, 0, 0, 0, 1, 2, 3]), timestamp: 1_500, headers: {} },
  { topic: 'accounts.profiles', partition: 0, offset: '9007199254740990', key: null, value: null, timestamp: 900, headers: { origin: Buffer.from('sim') } },
];

describe('recordings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recording-'));

  async function write(path: string, rows = records, head = header): Promise<number> {
    const writer = recordingWriter(path, head);
    for (const record of rows) await writer.write(record);
    return writer.close();
  }

  it('round-trips records byte for byte with their header, and writes the same bytes for the same input', async () => {
    const path = join(dir, 'a.avro');
    expect(await write(path)).toBe(2);
    expect(readRecordingHeader(path)).toEqual(header);
    const read: LogRecord[] = [];
    for await (const record of readRecording(path)) read.push(record);
    expect(read).toEqual(records);
    await write(join(dir, 'b.avro'));
    expect(readFileSync(join(dir, 'b.avro')).equals(readFileSync(path))).toBe(true);
  });

  it('is an Avro object container file any Avro reader can read', async () => {
    const path = join(dir, 'plain.avro');
    await write(path);
    const read: unknown[] = [];
    for await (const record of avro.createFileDecoder(path)) read.push(record);
    expect(read).toHaveLength(2);
    expect((read[0] as { topic: string }).topic).toBe('payments.transactions');
  });

  it('refuses what is not a recording, a format it does not know, and an offset beyond 2^53', async () => {
    const text = join(dir, 'text.avro');
    writeFileSync(text, 'hello');
    expect(() => readRecordingHeader(text)).toThrow(/not an Avro object container file/);
    const other = join(dir, 'other.avro');
    const encoder = new avro.streams.BlockEncoder(avro.Type.forSchema(RECORDED_RECORD_SCHEMA as unknown as avro.Schema), { writeHeader: 'always' });
    const done = pipeline(encoder, createWriteStream(other));
    encoder.end();
    await done;
    expect(() => readRecordingHeader(other)).toThrow(/not a Peregrine recording/);
    const empty = join(dir, 'empty.avro');
    await write(empty, []);
    expect(readRecordingHeader(empty)).toEqual(header);
    const future = join(dir, 'future.avro');
    await write(future, [], { ...header, format: 2 as 1 });
    expect(() => readRecordingHeader(future)).toThrow(/format 2; this version reads format 1/);
    await expect(write(join(dir, 'big.avro'), [{ ...records[0]!, offset: '9007199254740993' }])).rejects.toThrow(/beyond what a recording holds/);
  });
});
