export { ByteReader, ByteWriter } from './bytes';
export {
  type ChangelogRecord,
  KeyState,
  KeyedStateStore,
  type StateCodec,
  type StateSlot,
  type StateSlotSpec,
} from './keyed-state';
