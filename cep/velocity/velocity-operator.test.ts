import { ByteWriter } from '../state/bytes';
import { KeyedStateStore } from '../state/keyed-state';
import { transaction } from '../testing/fixtures';
import { Interner } from './interner';
import { velocityWindows } from './options';
import { VelocityOperator } from './velocity-operator';

function setup() {
  const store = new KeyedStateStore();
  const velocity = new VelocityOperator(store, { windows: velocityWindows(), allowedLatenessMs: 0, merchants: new Interner(), countries: new Interner() });
  return { store, velocity };
}

describe('VelocityOperator', () => {
  it('restricts card features to the card among the account events, as cards come and go', () => {
    const { store, velocity } = setup();
    const state = store.open('acct-1');
    const at = (eventTime: number, cardId: string) => velocity.onTransaction(state, transaction({ eventTime, cardId, amountMinor: 10 }), eventTime, eventTime);
    at(0, 'a');
    expect(at(1_000, 'a')).toMatchObject({ account: { count: 2 }, card: { count: 2 } });
    expect(at(2_000, 'b')).toMatchObject({ account: { count: 3 }, card: { count: 1 } });
    expect(at(3_000, 'a')).toMatchObject({ account: { count: 4 }, card: { count: 3 } });
    // Card b's only event leaves the window: a has the account to itself again.
    expect(at(62_001, 'a')).toMatchObject({ account: { count: 2 }, card: { count: 2 } });
    expect(at(62_002, 'b')).toMatchObject({ account: { count: 3 }, card: { count: 1 } });
  });

  it('restores card state written by codec version 1, which always listed each card buffer', () => {
    const { store, velocity } = setup();
    const buffer = new ByteWriter().uvarint(1).varint(1_000).varint(10).string('merchant-1').string('DE').bool(false);
    const account = buffer.finish();
    const cards = new ByteWriter().uvarint(1).string('card-1');
    for (const byte of account) cards.uint8(byte);
    const bytes = new ByteWriter().uint8(1).uvarint(2);
    bytes.string('velocity.account').uvarint(1).bytes(account);
    bytes.string('velocity.card').uvarint(1).bytes(cards.finish());
    store.restore('acct-1', bytes.finish());
    const features = velocity.onTransaction(store.find('acct-1')!, transaction({ eventTime: 2_000, cardId: 'card-1' }), 2_000, 2_000);
    expect(features).toMatchObject({ account: { count: 2, msSincePrevious: 1_000 }, card: { count: 2, msSincePrevious: 1_000 } });
  });
});
