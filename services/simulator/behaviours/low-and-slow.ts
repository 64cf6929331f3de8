// Low and slow: a compromised card or account used a few times a day over days, every amount just
// under a round figure the fraudster takes for a review limit (499.00, 995.50, 249.99), never in a
// hurry, from a device of their own.
import { CITIES } from '../geo';
import { DAY, choice, duration, integer, real } from './parameters';
import { behaviour } from './story';

const MCCS = { online: ['5999', '5732'], transfer: ['6012', '4829'] } as const;

export const LOW_AND_SLOW = behaviour({
  name: 'low-and-slow',
  fraud: true,
  weight: 10,
  // #region parameters
  parameters: {
    /** The round figure every amount stays under, in the account's currency. */
    roundLimit: choice({ '250': 20, '500': 40, '1000': 40 }),
    /** How far under it, as a share of it: 995.00 under 1,000 is 0.005. */
    margin: real(0.0001, 0.05),
    payments: integer(4, 20),
    /** From the first payment to the last. */
    span: duration(2 * DAY, 14 * DAY),
    channel: choice({ online: 50, transfer: 50 }),
  },
  // #endregion parameters
  play(s) {
    const limitMinor = Number(s.choose('roundLimit')) * 100;
    const mccs = MCCS[s.choose('channel')];
    const fraudster = s.fraudster();
    const card = s.card();
    for (const at of s.times(s.start, s.draw('span'), s.draw('payments'))) {
      const merchant = s.merchant(s.random.pick(mccs), s.random.weighted(CITIES, (c) => c.weight));
      const amountMinor = limitMinor - Math.max(1, Math.round(limitMinor * s.draw('margin')));
      s.pay(at, { merchant, amountMinor, card, deviceId: fraudster.deviceId, ip: fraudster.origin.ip });
    }
  },
});
