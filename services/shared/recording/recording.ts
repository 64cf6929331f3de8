// A recording: the input records of a history, byte for byte (Confluent wire format, with their topic,
// partition, offset, timestamp and key), with the schemas they were written with, in an Avro object
// container file. Any Avro tool reads it (avro-tools, fastavro); Peregrine replays it offline, without
// Kafka or a registry, and gets the same decisions as the scorer that consumed the same log.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import avro from 'avsc';
import type { LogRecord } from '../stream';

/** Bumped when the record schema or the header's meaning changes; a reader refuses other versions. */
export const RECORDING_FORMAT = 1;
const HEADER_KEY = 'peregrine.recording';
/** avsc reads and writes longs as JavaScript numbers up to this. */
const MAX_OFFSET = 9_007_199_254_740_990;

/** The file's record type: one consumed record, as the log held it. */
export const RECORDED_RECORD_SCHEMA = {
  type: 'record',
  name: 'RecordedRecord',
  namespace: 'dev.peregrine.recording',
  doc: 'One record of a Kafka topic as it was in the log',
  fields: [
    { name: 'topic', type: 'string' },
    { name: 'partition', type: 'int' },
    { name: 'offset', type: 'long' },
    { name: 'timestamp', type: 'long', doc: 'The record timestamp, epoch ms (event time for Peregrine inputs)' },
    { name: 'key', type: ['null', 'bytes'], default: null },
    { name: 'value', type: ['null', 'bytes'], default: null, doc: 'Confluent wire format: magic byte 0, schema id, Avro body' },
    { name: 'headers', type: { type: 'map', values: 'bytes' }, default: {} },
  ],
} as const;

const recordType = avro.Type.forSchema(RECORDED_RECORD_SCHEMA as unknown as avro.Schema);

/** A schema the recorded values name by id, as the registry held it. */
export interface RecordedSchema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
  readonly schema: string;
}

/** The input topics of a recording, by their role in the pipeline. */
export interface RecordedTopics {
  readonly transactions: string;
  readonly profiles: string;
  readonly authEvents: string;
  readonly labels: string;
}

/** Kept in the file's metadata under `peregrine.recording`, as JSON. */
export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  /** Where the records came from, for people: "kafka 127.0.0.1:9092", "simulator seed 42". */
  readonly source: string;
  /** The event-time range measured, [from, to) in epoch ms; records before `from` are warm-up (null: from the start). */
  readonly from: number | null;
  readonly to: number | null;
  readonly topics: RecordedTopics;
  /** Partitions of every input topic (they are co-partitioned). */
  readonly partitions: number;
  /** Records in the file, when the writer knew it before writing them (for progress bars). */
  readonly records: number | null;
  readonly schemas: readonly RecordedSchema[];
}

export class RecordingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordingError';
  }
}

export interface RecordingWriter {
  /** Resolves once the record is buffered; waits while the file falls behind. */
  write(record: LogRecord): Promise<void>;
  /** Flushes and closes the file; returns the records written. */
  close(): Promise<number>;
}

/**
 * Writes a recording to `path`. The file's sync marker is derived from the header, so the same
 * header and records give the same bytes.
 */
export function recordingWriter(path: string, header: RecordingHeader): RecordingWriter {
  const headerBytes = Buffer.from(JSON.stringify(header));
  const options = {
    codec: 'deflate',
    // An empty recording still says what it is.
    writeHeader: 'always',
    metadata: { [HEADER_KEY]: headerBytes },
    syncMarker: createHash('sha256').update(headerBytes).digest().subarray(0, 16),
  };
  // avsc takes `metadata` (containers.js) though its typings omit it.
  const encoder = new avro.streams.BlockEncoder(recordType, options as ConstructorParameters<typeof avro.streams.BlockEncoder>[1]);
  const file = createWriteStream(path);
  const written = pipeline(encoder, file);
  let count = 0;
  return {
    async write(record) {
      const offset = Number(record.offset);
      if (!(offset <= MAX_OFFSET)) throw new RecordingError(`offset ${record.offset} of ${record.topic}[${record.partition}] is beyond what a recording holds (2^53 - 2)`);
      count++;
      const accepted = encoder.write({ ...record, offset, headers: record.headers ?? {} });
      if (!accepted) await once(encoder, 'drain');
    },
    async close() {
      encoder.end();
      await written;
      return count;
    },
  };
}

function parseHeader(path: string, metadata: Record<string, Buffer> | undefined): RecordingHeader {
  const raw = metadata?.[HEADER_KEY];
  if (raw === undefined) throw new RecordingError(`${path} is an Avro file but not a Peregrine recording (no ${HEADER_KEY} metadata)`);
  const header = JSON.parse(raw.toString('utf8')) as RecordingHeader;
  if (header.format !== RECORDING_FORMAT) throw new RecordingError(`${path} is a recording of format ${String(header.format)}; this version reads format ${RECORDING_FORMAT}`);
  return header;
}

/** The header of the recording at `path`, without reading its records. */
export function readRecordingHeader(path: string): RecordingHeader {
  let header: { meta: Record<string, Buffer> } | null;
  try {
    header = avro.extractFileHeader(path) as { meta: Record<string, Buffer> } | null;
  } catch (cause) {
    throw new RecordingError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  if (header === null) throw new RecordingError(`${path} is not an Avro object container file`);
  return parseHeader(path, header.meta);
}

/** The records of the recording at `path`, in file order. */
export async function* readRecording(path: string): AsyncGenerator<LogRecord> {
  readRecordingHeader(path);
  const decoder = createReadStream(path).pipe(new avro.streams.BlockDecoder());
  for await (const record of decoder as AsyncIterable<{ topic: string; partition: number; offset: number; timestamp: number; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }>) {
    yield { ...record, offset: String(record.offset) };
  }
}
