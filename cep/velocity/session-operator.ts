import type { SessionFeatures, Transaction } from '../../schemas/types';
import type { ByteReader, ByteWriter } from '../state/bytes';
import type { KeyState, KeyedStateStore, StateCodec, StateSlot } from '../state/keyed-state';
import type { Interner } from './interner';

/**
 * The account's current session as one array of numbers:
 * `[startedAt, lastAt, events, sumMinor, merchantCount, ...merchantIds, ...deviceIds]`, each id
 * set interned and sorted. One array rather than an object with two id arrays keeps a session to
 * one heap object with unboxed times: less heap per account and one cache miss instead of five
 * when a transaction reads it.
 */
type Session = number[];
const STARTED_AT = 0;
const LAST_AT = 1;
const EVENTS = 2;
const SUM_MINOR = 3;
const MERCHANT_COUNT = 4;
const IDS = 5;

const merchantCount = (session: Session): number => session[MERCHANT_COUNT]!;
const deviceCount = (session: Session): number => session.length - IDS - merchantCount(session);

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
    this.#slot = store.register({ name: 'session', codec: this.#codec(), isEmpty: (s) => s[EVENTS] === 0 });
  }

  onTransaction(state: KeyState, transaction: Transaction, eventTime: number, asOf: number): SessionFeatures {
    this.evict(state, asOf);
    const merchant = this.#merchants.id(transaction.merchantId);
    const device = transaction.deviceId === null ? -1 : this.#devices.id(transaction.deviceId);
    let session = state.get(this.#slot);
    if (session === undefined || eventTime - session[LAST_AT]! >= this.#gapMs) {
      session = [eventTime, eventTime, 0, 0, 0];
    } else if (eventTime <= session[STARTED_AT]! - this.#gapMs) {
      return { events: 1, sumMinor: transaction.amountMinor, distinctMerchants: 1, distinctDevices: device < 0 ? 0 : 1, startedAt: eventTime };
    }
    session = withId(session, IDS, IDS + merchantCount(session), merchant, MERCHANT_COUNT);
    if (device >= 0) session = withId(session, IDS + merchantCount(session), session.length, device, -1);
    state.set(this.#slot, session);
    session[STARTED_AT] = Math.min(session[STARTED_AT]!, eventTime);
    session[LAST_AT] = Math.max(session[LAST_AT]!, eventTime);
    session[EVENTS]!++;
    session[SUM_MINOR] += transaction.amountMinor;
    return {
      events: session[EVENTS]!,
      sumMinor: session[SUM_MINOR]!,
      distinctMerchants: merchantCount(session),
      distinctDevices: deviceCount(session),
      startedAt: session[STARTED_AT]!,
    };
  }

  evict(state: KeyState, asOf: number): void {
    const session = state.get(this.#slot);
    if (session !== undefined && session[LAST_AT]! + this.retentionMs <= asOf) state.set(this.#slot, undefined);
  }

  #codec(): StateCodec<Session> {
    const writeIds = (session: Session, from: number, to: number, interner: Interner, out: ByteWriter): void => {
      out.uvarint(to - from);
      for (let at = from; at < to; at++) out.string(interner.value(session[at]!));
    };
    const readIds = (session: Session, interner: Interner, input: ByteReader, countAt: number): Session => {
      const from = session.length;
      for (let count = input.uvarint(); count > 0; count--) session = withId(session, from, session.length, interner.id(input.string()), countAt);
      return session;
    };
    return {
      version: 1,
      encode: (s, out) => {
        out.varint(s[STARTED_AT]!).uvarint(s[LAST_AT]! - s[STARTED_AT]!).uvarint(s[EVENTS]!).varint(s[SUM_MINOR]!);
        writeIds(s, IDS, IDS + merchantCount(s), this.#merchants, out);
        writeIds(s, IDS + merchantCount(s), s.length, this.#devices, out);
      },
      decode: (input) => {
        const startedAt = input.varint();
        const lastAt = startedAt + input.uvarint();
        const session = readIds([startedAt, lastAt, input.uvarint(), input.varint(), 0], this.#merchants, input, MERCHANT_COUNT);
        return readIds(session, this.#devices, input, -1);
      },
    };
  }
}

/**
 * The session with `id` added to its sorted id set at `[from, to)`, bumping the count at
 * `countAt` (if not -1): a copy when the id is new (an array grown in place keeps spare capacity
 * per session), the same array when present. Sessions see few distinct ids.
 */
function withId(session: Session, from: number, to: number, id: number, countAt: number): Session {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (session[mid]! < id) low = mid + 1;
    else high = mid;
  }
  if (low < to && session[low] === id) return session;
  const next = new Array<number>(session.length + 1);
  for (let i = 0; i < low; i++) next[i] = session[i]!;
  next[low] = id;
  for (let i = low; i < session.length; i++) next[i + 1] = session[i]!;
  if (countAt >= 0) next[countAt]!++;
  return next;
}
