// Confluent wire format: magic byte 0, the schema id as a 32-bit big-endian integer, then the body.
import { DecodeError, DecodeErrorCode } from './errors';

const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const message = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  message.writeUInt8(MAGIC_BYTE, 0);
  message.writeInt32BE(schemaId, 1);
  body.copy(message, HEADER_LENGTH);
  return message;
}

/** The schema id of a framed message, or why the message is not one; the body starts at HEADER_LENGTH. */
export function readSchemaId(message: Buffer): number | DecodeError {
  // The magic byte is checked first: a 3-byte JSON text is better reported as not ours than as short.
  if (message.length > 0 && message[0] !== MAGIC_BYTE) {
    return new DecodeError(
      DecodeErrorCode.BAD_MAGIC_BYTE,
      `magic byte 0x${message[0].toString(16).padStart(2, '0')} where Confluent framing has 0x00`,
    );
  }
  if (message.length < HEADER_LENGTH) {
    return new DecodeError(
      DecodeErrorCode.TRUNCATED,
      `${message.length} bytes, shorter than the ${HEADER_LENGTH}-byte Confluent header`,
    );
  }
  return message.readInt32BE(1);
}
