import fc from 'fast-check';
import { isCepError } from '../errors';
import { ByteReader, ByteWriter } from './bytes';

describe('ByteWriter / ByteReader', () => {
  it('round-trips varints, doubles, strings and bytes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 }), fc.maxSafeNat(), fc.double(), fc.string({ unit: 'grapheme' }), fc.uint8Array(), (signed, unsigned, double, text, bytes) => {
        const input = new ByteReader(new ByteWriter().varint(signed).uvarint(unsigned).float64(double).string(text).bytes(bytes).finish());
        expect([input.varint(), input.uvarint(), input.float64(), input.string(), input.bytes()]).toEqual([signed, unsigned, double, text, bytes]);
        input.end();
      }),
    );
  });

  it('writes a string as its length-prefixed UTF-8 bytes, ASCII or not (property)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 300 }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), text, (before, value) => {
        const utf8 = new TextEncoder().encode(value);
        expect(new ByteWriter().bytes(before).string(value).finish()).toEqual(new ByteWriter().bytes(before).bytes(utf8).finish());
      }),
    );
  });

  it('after reset, writes afresh into the buffer it has grown', () => {
    const writer = new ByteWriter().string('x'.repeat(500));
    const grown = writer.written().buffer;
    expect(writer.reset().uvarint(300).written()).toEqual(Uint8Array.of(0xac, 0x02));
    expect(writer.written().buffer).toBe(grown);
  });

  it('spends one byte on small varints', () => {
    expect(new ByteWriter().varint(-64).uvarint(127).length).toBe(2);
  });

  it('reports truncated or trailing bytes as CORRUPT_STATE', () => {
    const bytes = new ByteWriter().uvarint(300).string('abc').finish();
    expect(() => new ByteReader(bytes.subarray(0, 3)).string()).toThrow();
    try {
      const input = new ByteReader(bytes);
      input.uvarint();
      input.end();
      fail('expected trailing bytes to be rejected');
    } catch (error) {
      expect(isCepError(error, 'CORRUPT_STATE')).toBe(true);
    }
  });
});
