import { KeyedStateStore } from '../state/keyed-state';
import { profile } from '../testing/fixtures';
import { ProfileJoin } from './profile-join';

function setup(allowedLatenessMs = 0) {
  const store = new KeyedStateStore();
  const join = new ProfileJoin(store, { allowedLatenessMs });
  return { store, join, state: store.open('acct-1') };
}

describe('ProfileJoin', () => {
  it('answers the newest version with updatedAt <= t, and null before the first', () => {
    const { join, state } = setup();
    join.onProfile(state, profile({ updatedAt: 100, riskTier: 'LOW' }), 100);
    join.onProfile(state, profile({ updatedAt: 200, riskTier: 'HIGH' }), 100);
    expect(join.lookup(state, 99, 99)).toBeNull();
    expect(join.lookup(state, 100, 100)?.riskTier).toBe('LOW');
    expect(join.lookup(state, 199, 199)?.riskTier).toBe('LOW');
    expect(join.lookup(state, 200, 200)?.riskTier).toBe('HIGH');
  });

  it('returns the version a new one succeeds; a repeated updatedAt replaces the version', () => {
    const { join, state } = setup(1_000);
    expect(join.onProfile(state, profile({ updatedAt: 100, emailFingerprint: 'a' }), 100)).toBeNull();
    expect(join.onProfile(state, profile({ updatedAt: 300, emailFingerprint: 'c' }), 300)?.emailFingerprint).toBe('a');
    expect(join.onProfile(state, profile({ updatedAt: 200, emailFingerprint: 'b' }), 300)?.emailFingerprint).toBe('a');
    expect(join.onProfile(state, profile({ updatedAt: 300, emailFingerprint: 'c2' }), 300)?.emailFingerprint).toBe('b');
    expect(join.lookup(state, 300, 300)?.emailFingerprint).toBe('c2');
  });

  it('answers a late version whose predecessor was pruned with null, as for a first version', () => {
    const { join, state } = setup(0);
    join.onProfile(state, profile({ updatedAt: 100 }), 100);
    join.onProfile(state, profile({ updatedAt: 300 }), 300);
    expect(join.onProfile(state, profile({ updatedAt: 200 }), 300)).toBeNull();
  });

  it('keeps only versions a record decided now or later can see; later-than-allowed lookups see the lateness horizon', () => {
    const { store, join, state } = setup(50);
    for (const updatedAt of [100, 200, 300, 400]) join.onProfile(state, profile({ updatedAt, emailFingerprint: `v${updatedAt}` }), updatedAt);
    // Decided at 400, a record may ask for time 350 at the earliest: 300 and newer stay.
    const kept = store.encode('acct-1')!;
    const restored = new KeyedStateStore();
    const restoredJoin = new ProfileJoin(restored, { allowedLatenessMs: 50 });
    restored.restore('acct-1', kept);
    const restoredState = restored.find('acct-1')!;
    expect(restoredJoin.lookup(restoredState, 360, 400)?.emailFingerprint).toBe('v300');
    expect(restoredJoin.lookup(restoredState, 150, 400)?.emailFingerprint).toBe('v300');
    expect(join.lookup(state, 150, 400)?.emailFingerprint).toBe('v300');
    expect(kept.length).toBeLessThan(3 * 60);
  });
});
