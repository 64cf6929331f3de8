import { corrupt } from '../state/bytes';
import type { KeyState, StateSlotSpec } from '../state/keyed-state';
import type { EventPosition } from '../time/event-order';
import type { InputSpec, InputValue, RecordSource } from './types';

/** An accepted record waiting in the reorder buffer (and in its key's state) for the watermark. */
export interface PendingRecord extends EventPosition, RecordSource {
  readonly key: string;
  readonly input: InputSpec;
  readonly value: InputValue;
}

/**
 * A pending record with the state of its key, looked up once on arrival: a key holding pending
 * records is never deleted, so the state is still the key's when the watermark releases it.
 */
export interface HeldRecord extends PendingRecord {
  readonly state: KeyState;
}

/**
 * Pending records are part of their key's state, so a changelog taken before the watermark
 * released them still holds them (the offsets committed with it are past them). Values are
 * written as JSON: they are transient, decoded records of any input kind, and JSON keeps this
 * codec independent of the record schemas.
 */
export function pendingRecordsSlot(inputs: readonly InputSpec[], partition: number): StateSlotSpec<PendingRecord[]> {
  return {
    name: 'pending',
    isEmpty: (records) => records.length === 0,
    codec: {
      version: 1,
      encode: (records, out) => {
        out.uvarint(records.length);
        for (const r of records) out.string(r.key).string(r.topic).string(r.offset).varint(r.eventTime).string(JSON.stringify(r.value));
      },
      decode: (input) => {
        const records: PendingRecord[] = [];
        for (let count = input.uvarint(); count > 0; count--) {
          const key = input.string();
          const topic = input.string();
          const offset = input.string();
          const eventTime = input.varint();
          const value = JSON.parse(input.string()) as InputValue;
          const rank = inputs.findIndex((spec) => spec.topic === topic);
          if (rank < 0) throw corrupt(`pending record of topic "${topic}", which is not an input of the job`);
          records.push({ key, topic, partition, offset, eventTime, rank, input: inputs[rank]!, value });
        }
        return records;
      },
    },
  };
}
