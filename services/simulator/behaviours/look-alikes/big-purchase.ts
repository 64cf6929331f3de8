// A big one-off purchase: a laptop, a sofa, a holiday, a deposit, far above what the account
// usually spends but within its credit limit, sometimes right after a login. Large and unusual,
// like a cash-out; it is the customer.
import { MINUTE, chance, choice, duration, real } from '../parameters';
import { behaviour } from '../story';

const MCC = { electronics: '5732', 'department-store': '5311', flights: '4511', hotel: '7011', deposit: '6012' } as const;

export const BIG_PURCHASE = behaviour({
  name: 'big-purchase',
  fraud: false,
  weight: 25,
  // #region parameters
  parameters: {
    what: choice({ electronics: 35, 'department-store': 25, flights: 20, hotel: 10, deposit: 10 }),
    /** Of the account's credit limit. */
    shareOfLimit: real(0.3, 0.95),
    /** Online: a login just before. */
    loginFirst: chance(0.5),
    /** From the login to the purchase. */
    afterLogin: duration(1 * MINUTE, 20 * MINUTE),
  },
  // #endregion parameters
  play(s) {
    const deviceId = s.ownDevice();
    const merchant = s.merchant(MCC[s.choose('what')]);
    let at = s.whenAwake(s.start);
    if (merchant.category.channel !== 'POS' && s.maybe('loginFirst')) {
      s.auth(at, 'LOGIN_SUCCESS', { deviceId });
      at += s.draw('afterLogin');
    }
    const amountMinor = Math.round(s.account.profile.creditLimitMinor * s.draw('shareOfLimit'));
    s.pay(at, { merchant, amountMinor, deviceId });
  },
});
