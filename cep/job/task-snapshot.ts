import { ByteReader, ByteWriter, corrupt } from '../state/bytes';
import type { ChangelogRecord } from '../state/keyed-state';
import type { WatermarkTracker } from '../time/watermark-tracker';

/**
 * Changelog key of the task's own (non-keyed) state: its partition watermarks. Record keys are
 * never empty (an empty key is a dead letter), so it cannot collide with an account.
 */
export const TASK_META_KEY = '';

/** 2 added each partition's run of records ahead of it, 3 left idleness out; 1 and 2 are still read. */
const META_FORMAT = 3;
const SNAPSHOT_FORMAT = 1;

export function encodeTaskMeta(partition: number, watermarks: WatermarkTracker): Uint8Array {
  const out = new ByteWriter().uint8(META_FORMAT).uvarint(partition);
  watermarks.encode(out);
  return out.finish();
}

export function decodeTaskMeta(bytes: Uint8Array, partition: number, watermarks: WatermarkTracker): void {
  const input = new ByteReader(bytes);
  const format = input.uint8();
  if (format !== 1 && format !== 2 && format !== META_FORMAT) throw corrupt(`unknown task meta format ${format}`);
  const stored = input.uvarint();
  if (stored !== partition) throw corrupt(`state of partition ${stored} restored into the task of partition ${partition}`);
  watermarks.decode(input, format);
  input.end();
}

/** A whole task as one byte string: its changelog records (meta first), as a compacted changelog would hold them. */
export function encodeSnapshot(records: readonly ChangelogRecord[]): Uint8Array {
  const out = new ByteWriter().uint8(SNAPSHOT_FORMAT).uvarint(records.length);
  for (const { key, value } of records) {
    out.string(key).bool(value !== null);
    if (value !== null) out.bytes(value);
  }
  return out.finish();
}

export function decodeSnapshot(bytes: Uint8Array): ChangelogRecord[] {
  const input = new ByteReader(bytes);
  const format = input.uint8();
  if (format !== SNAPSHOT_FORMAT) throw corrupt(`unknown task snapshot format ${format}`);
  const records: ChangelogRecord[] = [];
  for (let count = input.uvarint(); count > 0; count--) {
    const key = input.string();
    records.push({ key, value: input.bool() ? input.bytes() : null });
  }
  input.end();
  return records;
}
