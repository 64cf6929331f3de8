import { KeyedStateStore } from '../state/keyed-state';
import { transaction } from '../testing/fixtures';
import { Interner } from './interner';
import { SessionOperator } from './session-operator';

function setup() {
  const store = new KeyedStateStore();
  const sessions = new SessionOperator(store, { gapMs: 1_000, allowedLatenessMs: 0, merchants: new Interner() });
  const state = store.open('acct-1');
  const at = (eventTime: number, asOf = eventTime, overrides = {}) =>
    sessions.onTransaction(state, transaction({ eventTime, amountMinor: 10, ...overrides }), eventTime, asOf);
  return { store, sessions, state, at };
}

describe('SessionOperator', () => {
  it('closes a session after an event-time gap of gapMs or more', () => {
    const { at } = setup();
    at(0, 0, { merchantId: 'a', deviceId: 'd1' });
    expect(at(999, 999, { merchantId: 'b', deviceId: null })).toEqual({ events: 2, sumMinor: 20, distinctMerchants: 2, distinctDevices: 1, startedAt: 0 });
    expect(at(1_999)).toEqual({ events: 1, sumMinor: 10, distinctMerchants: 1, distinctDevices: 0, startedAt: 1_999 });
  });

  it('merges a late event into the current session and scores an event of an earlier session on its own', () => {
    const { at } = setup();
    at(5_000);
    at(5_500);
    expect(at(4_200, 5_500)).toMatchObject({ events: 3, startedAt: 4_200 });
    expect(at(3_000, 5_500)).toEqual({ events: 1, sumMinor: 10, distinctMerchants: 1, distinctDevices: 0, startedAt: 3_000 });
    expect(at(5_600)).toMatchObject({ events: 4, startedAt: 4_200 });
  });

  it('expires a session once decision time passes its end plus the gap, and round-trips through its codec', () => {
    const { store, sessions, state, at } = setup();
    at(0, 0, { merchantId: 'a', deviceId: 'd1' });
    at(500, 500, { merchantId: 'b', deviceId: 'd2' });
    const bytes = store.encode('acct-1')!;
    const restored = new KeyedStateStore();
    const restoredSessions = new SessionOperator(restored, { gapMs: 1_000, allowedLatenessMs: 0, merchants: new Interner() });
    restored.restore('acct-1', bytes);
    expect(restoredSessions.onTransaction(restored.find('acct-1')!, transaction({ merchantId: 'a', deviceId: 'd3', amountMinor: 1 }), 600, 600)).toEqual({
      events: 3,
      sumMinor: 21,
      distinctMerchants: 2,
      distinctDevices: 3,
      startedAt: 0,
    });
    sessions.evict(state, 1_499);
    expect(store.deleteIfEmpty(state)).toBe(false);
    sessions.evict(state, 1_500);
    expect(store.deleteIfEmpty(state)).toBe(true);
  });
});
