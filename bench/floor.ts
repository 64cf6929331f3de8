// The floor the engine benchmarks measure against: the least work a keyed engine does per event
// (read its key and time, bump the key's counter), timed the same way as the engine on the same
// records, so that the ratio of the two says what the engine's own work costs.
import type { SourceRecord } from '../cep';
import { Stopwatch } from './measure';

/** Records handed over a batch at a time, as a consumer would; `accounts` is how many keys they have. */
export interface BatchedInput {
  readonly size: number;
  readonly batches: number;
  readonly accounts: number;
  batch(index: number): SourceRecord[];
}

/** Feeds `batches` batches of the input to `consume`, timing only the calls to it. */
export function timed(input: BatchedInput, batches: number, consume: (batch: SourceRecord[]) => void, stopwatch = new Stopwatch()): Stopwatch {
  for (let index = 0; index < batches; index++) {
    const batch = input.batch(index);
    stopwatch.time(() => consume(batch));
  }
  return stopwatch;
}

/**
 * The floor: read each record's key and time and bump a per-key counter, nothing else. The
 * counters sit `rowBytes` apart: 8 packs them into 800 KB that stay in cache; the memory target's
 * 1 KiB per key spreads them over 100 MB, as any state of that size is, so that every event's
 * counter is a cache (and TLB) miss: the least an engine keeping its budget per key pays per event
 * at 100,000 keys, however its state is laid out.
 */
export function runFloor(input: BatchedInput, rowBytes: number): Stopwatch {
  const ids = new Map<string, number>();
  const stride = rowBytes / Float64Array.BYTES_PER_ELEMENT;
  const counters = new Float64Array(input.accounts * stride);
  let events = 0;
  let latest = 0;
  const stopwatch = timed(input, input.batches, (batch) => {
    for (const record of batch) {
      let id = ids.get(record.key!);
      if (id === undefined) ids.set(record.key!, (id = ids.size));
      counters[id * stride]++;
      if ((record.eventTime as number) > latest) latest = record.eventTime as number;
      events++;
    }
  });
  if (ids.size !== input.accounts || latest === 0 || events !== input.size) throw new Error('the floor did not read every record of every account');
  return stopwatch;
}
