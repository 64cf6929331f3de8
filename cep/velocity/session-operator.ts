import type { SessionFeatures, Transaction } from '../../schemas/types';
import type { ByteReader, ByteWriter } from '../state/bytes';
import type { KeyState, KeyedStateStore, StateCodec, StateSlot } from '../state/keyed-state';
import type { Interner } from './interner';

/** The account's current session. Merchant and device ids are interned and kept sorted, as sets. */
class Session {
  constructor(
    public startedAt: number,
    public lastAt: number,
    public events: number,
    public sumMinor: number,
    public merchants: number[],
    public devices: number[],
  ) {}
}

export interface SessionOperatorOptions {
  readonly gapMs: number;
  readonly allowedLatenessMs: number;
  readonly merchants: Interner;
  readonly devices: Interner;
}

/**
 * Event-time session windows of an account's transactions: a session ends when the next
 * transaction comes `gapMs` or more after the session's last one. Only the current session is
 * kept. A late transaction joins it when it falls within the gap of its span, starts a new one
 * when it comes a gap or more after it, and is otherwise (it belongs to an earlier, closed
 * session) scored as a session of its own without changing state.
 *
 * A session expires at `lastAt + gapMs + allowedLatenessMs` of decision time (see
 * VelocityOperator for why expiry is judged against decision time, not eviction runs).
 */
export class SessionOperator {
  readonly #slot: StateSlot<Session>;
  readonly #gapMs: number;
  readonly #merchants: Interner;
  readonly #devices: Interner;
  readonly retentionMs: number;

  constructor(store: KeyedStateStore, options: SessionOperatorOptions) {
    this.#gapMs = options.gapMs;
    this.#merchants = options.merchants;
    this.#devices = options.devices;
    this.retentionMs = options.gapMs + options.allowedLatenessMs;
    this.#slot = store.register({ name: 'session', codec: this.#codec(), isEmpty: (s) => s.events === 0 });
  }

  onTransaction(state: KeyState, transaction: Transaction, eventTime: number, asOf: number): SessionFeatures {
    this.evict(state, asOf);
    const merchant = this.#merchants.id(transaction.merchantId);
    const device = transaction.deviceId === null ? -1 : this.#devices.id(transaction.deviceId);
    let session = state.get(this.#slot);
    if (session === undefined || eventTime - session.lastAt >= this.#gapMs) {
      session = new Session(eventTime, eventTime, 0, 0, [], []);
      state.set(this.#slot, session);
    } else if (eventTime <= session.startedAt - this.#gapMs) {
      return { events: 1, sumMinor: transaction.amountMinor, distinctMerchants: 1, distinctDevices: device < 0 ? 0 : 1, startedAt: eventTime };
    }
    session.startedAt = Math.min(session.startedAt, eventTime);
    session.lastAt = Math.max(session.lastAt, eventTime);
    session.events++;
    session.sumMinor += transaction.amountMinor;
    session.merchants = withId(session.merchants, merchant);
    if (device >= 0) session.devices = withId(session.devices, device);
    return {
      events: session.events,
      sumMinor: session.sumMinor,
      distinctMerchants: session.merchants.length,
      distinctDevices: session.devices.length,
      startedAt: session.startedAt,
    };
  }

  evict(state: KeyState, asOf: number): void {
    const session = state.get(this.#slot);
    if (session !== undefined && session.lastAt + this.retentionMs <= asOf) state.set(this.#slot, undefined);
  }

  #codec(): StateCodec<Session> {
    const writeIds = (ids: number[], interner: Interner, out: ByteWriter): void => {
      out.uvarint(ids.length);
      for (const id of ids) out.string(interner.value(id));
    };
    const readIds = (interner: Interner, input: ByteReader): number[] => {
      let ids: number[] = [];
      for (let count = input.uvarint(); count > 0; count--) ids = withId(ids, interner.id(input.string()));
      return ids;
    };
    return {
      version: 1,
      encode: (s, out) => {
        out.varint(s.startedAt).uvarint(s.lastAt - s.startedAt).uvarint(s.events).varint(s.sumMinor);
        writeIds(s.merchants, this.#merchants, out);
        writeIds(s.devices, this.#devices, out);
      },
      decode: (input) => {
        const startedAt = input.varint();
        const lastAt = startedAt + input.uvarint();
        const events = input.uvarint();
        const sumMinor = input.varint();
        return new Session(startedAt, lastAt, events, sumMinor, readIds(this.#merchants, input), readIds(this.#devices, input));
      },
    };
  }
}

/**
 * The sorted id set with `id` added: a copy when it is new (an array grown in place keeps spare
 * capacity per session), the same array when present. Sessions see few distinct ids.
 */
function withId(ids: number[], id: number): number[] {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ids[mid]! < id) low = mid + 1;
    else high = mid;
  }
  if (ids[low] === id) return ids;
  const next = new Array<number>(ids.length + 1);
  for (let i = 0; i < low; i++) next[i] = ids[i]!;
  next[low] = id;
  for (let i = low; i < ids.length; i++) next[i + 1] = ids[i]!;
  return next;
}
