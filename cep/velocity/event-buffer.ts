import type { ByteReader, ByteWriter } from '../state/bytes';
import type { Interner } from './interner';

/**
 * One key's recent transactions, oldest first, interleaved in a single number array:
 * `[time, amountMinor, merchantId, countryId * 2 + declined]` per event. One array per key
 * instead of a column array per field keeps the per-key overhead to one array header, which is
 * what keeps 100,000 active cards under 1 KiB each.
 */
export type EventBuffer = number[];

export const STRIDE = 4;

export function eventCount(buffer: EventBuffer): number {
  return buffer.length / STRIDE;
}

export function eventTime(buffer: EventBuffer, index: number): number {
  return buffer[index * STRIDE]!;
}

/** Index of the first event later than `time`: where an event at `time` goes after its equals. */
export function insertionIndex(buffer: EventBuffer, time: number): number {
  let low = 0;
  let high = buffer.length / STRIDE;
  // Events mostly arrive in time order, so the answer is almost always the end.
  if (high === 0 || buffer[(high - 1) * STRIDE]! <= time) return high;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (buffer[mid * STRIDE]! <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A shared empty buffer; buffers are never mutated in place, so it is safe to share. */
export const EMPTY_BUFFER: EventBuffer = Object.freeze([]) as unknown as EventBuffer;

/**
 * A copy of the buffer without its first `drop` events and with the event inserted at `index`
 * (an index into the buffer as given, at or after `drop`). Buffers are copied rather than grown
 * in place because a grown JS array keeps spare capacity, which across 100,000 keys costs more
 * heap than the events; eviction rides on the same copy so that an event costs one allocation.
 */
export function insertEvent(
  buffer: EventBuffer,
  index: number,
  drop: number,
  time: number,
  amountMinor: number,
  merchant: number,
  countryDeclined: number,
): EventBuffer {
  const from = drop * STRIDE;
  const at = index * STRIDE - from;
  const next = new Array<number>(buffer.length - from + STRIDE);
  for (let i = 0; i < at; i++) next[i] = buffer[from + i]!;
  next[at] = time;
  next[at + 1] = amountMinor;
  next[at + 2] = merchant;
  next[at + 3] = countryDeclined;
  for (let i = at; i < buffer.length - from; i++) next[i + STRIDE] = buffer[from + i]!;
  return next;
}

/** How many leading events are at or before `horizon` (they can no longer fall into any look-back). */
export function evictableCount(buffer: EventBuffer, horizon: number): number {
  let drop = 0;
  while (drop < buffer.length && buffer[drop]! <= horizon) drop += STRIDE;
  return drop / STRIDE;
}

/** The buffer without the events at or before `horizon`. */
export function evictThrough(buffer: EventBuffer, horizon: number): EventBuffer {
  const drop = evictableCount(buffer, horizon);
  return drop === 0 ? buffer : buffer.slice(drop * STRIDE);
}

export function packCountryDeclined(countryId: number, declined: boolean): number {
  return countryId * 2 + (declined ? 1 : 0);
}

/**
 * Times are delta-encoded varints and ids are written as their strings (interned ids are local
 * to a task's lifetime).
 */
export function encodeEventBuffer(buffer: EventBuffer, merchants: Interner, countries: Interner, out: ByteWriter): void {
  out.uvarint(buffer.length / STRIDE);
  let previous = 0;
  for (let at = 0; at < buffer.length; at += STRIDE) {
    const time = buffer[at]!;
    if (at === 0) out.varint(time);
    else out.uvarint(time - previous);
    previous = time;
    const countryDeclined = buffer[at + 3]!;
    out
      .varint(buffer[at + 1]!)
      .string(merchants.value(buffer[at + 2]!))
      .string(countries.value(countryDeclined >> 1))
      .bool((countryDeclined & 1) === 1);
  }
}

export function decodeEventBuffer(input: ByteReader, merchants: Interner, countries: Interner): EventBuffer {
  const buffer: EventBuffer = [];
  let time = 0;
  for (let count = input.uvarint(), index = 0; index < count; index++) {
    time = index === 0 ? input.varint() : time + input.uvarint();
    const amountMinor = input.varint();
    const merchant = merchants.id(input.string());
    const country = countries.id(input.string());
    buffer.push(time, amountMinor, merchant, packCountryDeclined(country, input.bool()));
  }
  return buffer;
}
