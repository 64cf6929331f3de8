export { createAvroSerde, type AvroSerde, type AvroSerdeOptions, type DecodeOptions } from './avro-serde';
export { DecodeError, DecodeErrorCode, EncodeError, type DecodeResult } from './errors';
