import { CepError, CepErrorCode } from '../errors';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Append-only binary writer for state snapshots. Integers are LEB128 varints (zig-zag for signed
 * ones) because epoch-millisecond deltas and small counts dominate state, and a varint spends one
 * or two bytes where a float64 would spend eight.
 */
export class ByteWriter {
  #bytes = new Uint8Array(64);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** A copy of the bytes written so far, sized exactly. */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  /** The bytes written so far, not copied: valid until the next write or `reset`. */
  written(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  /** Empties the writer and keeps its buffer, so that a writer used per key stops allocating once grown. */
  reset(): this {
    this.#length = 0;
    return this;
  }

  uint8(value: number): this {
    this.#reserve(1);
    this.#bytes[this.#length++] = value;
    return this;
  }

  /** Unsigned integer up to 2^53 - 1. Division, not bit shifts: shifts truncate to 32 bits. */
  uvarint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw corrupt(`uvarint out of range: ${value}`);
    this.#reserve(8);
    let rest = value;
    while (rest >= 0x80) {
      this.#bytes[this.#length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.#bytes[this.#length++] = rest;
    return this;
  }

  /** Signed integer with |value| < 2^52 (zig-zag doubles it), mapped so that small negatives stay small. */
  varint(value: number): this {
    if (!Number.isSafeInteger(value * 2)) throw corrupt(`varint out of range: ${value}`);
    return this.uvarint(value < 0 ? -value * 2 - 1 : value * 2);
  }

  /** Any double, including -Infinity (a watermark before the first event). */
  float64(value: number): this {
    this.#reserve(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
    return this;
  }

  bool(value: boolean): this {
    return this.uint8(value ? 1 : 0);
  }

  string(value: string): this {
    const length = value.length;
    for (let index = 0; index < length; index++) {
      if (value.charCodeAt(index) >= 0x80) return this.bytes(utf8Encoder.encode(value));
    }
    // Keys, ids and codes are ASCII, one byte per character: no encoder call, no temporary array.
    this.uvarint(length);
    this.#reserve(length);
    const bytes = this.#bytes;
    let at = this.#length;
    for (let index = 0; index < length; index++) bytes[at++] = value.charCodeAt(index);
    this.#length = at;
    return this;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): this {
    this.uvarint(value.length);
    this.#reserve(value.length);
    this.#bytes.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + extra));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** Reads what ByteWriter wrote; any overrun or malformed value is a CORRUPT_STATE error. */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.#offset === this.#bytes.length;
  }

  uint8(): number {
    this.#need(1);
    return this.#bytes[this.#offset++]!;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.uint8();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56) throw corrupt('varint too long');
    }
    if (!Number.isSafeInteger(value)) throw corrupt('varint out of range');
    return value;
  }

  varint(): number {
    const zigzag = this.uvarint();
    return zigzag % 2 === 1 ? -(zigzag + 1) / 2 : zigzag / 2;
  }

  float64(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  bool(): boolean {
    return this.uint8() !== 0;
  }

  string(): string {
    try {
      return utf8Decoder.decode(this.bytes());
    } catch (cause) {
      if (cause instanceof CepError) throw cause;
      throw corrupt('invalid UTF-8 in string', cause);
    }
  }

  bytes(): Uint8Array {
    const length = this.uvarint();
    this.#need(length);
    const slice = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }

  /** Throws unless every byte was consumed: trailing bytes mean a codec mismatch. */
  end(): void {
    if (!this.done) throw corrupt(`${this.#bytes.length - this.#offset} trailing bytes`);
  }

  #need(count: number): void {
    if (this.#offset + count > this.#bytes.length) throw corrupt('unexpected end of state bytes');
  }
}

export function corrupt(message: string, cause?: unknown): CepError {
  return new CepError(CepErrorCode.CorruptState, message, { cause });
}
