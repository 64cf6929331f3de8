export { ByteReader, ByteWriter } from './bytes';
export {
  type ChangelogRecord,
  type KeyedColumns,
  KeyedStateStore,
  type StateCodec,
  type StateSlot,
  type StateSlotSpec,
} from './keyed-state';
