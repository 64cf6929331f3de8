// A money mule: an account that receives many small transfers (the proceeds of other frauds, or of
// scams on people who believe they are paying a seller) and then sends most of the total on in one
// payment, keeping a cut. The mule is in on it and uses their own device.
//
// Credits are recorded on the mule's account as TRANSFERs without device or address (see
// Payment.credit), at the bank of each payer, who may bank anywhere.
import { CITIES } from '../geo';
import { DAY, HOUR, MINUTE, choice, duration, integer, money, real } from './parameters';
import { behaviour } from './story';

const PAY_OUT_MCC = { 'bank-transfer': '6012', 'money-transfer': '4829', crypto: '6051' } as const;
const BANK_TRANSFER_MCC = '6012';

export const MONEY_MULE = behaviour({
  name: 'money-mule',
  fraud: true,
  weight: 10,
  // #region parameters
  parameters: {
    credits: integer(5, 40),
    creditAmount: money(20, 800),
    /** From the first credit to the last. */
    collecting: duration(2 * HOUR, 5 * DAY),
    /** From the last credit to the payment out. */
    payOutDelay: duration(10 * MINUTE, 2 * DAY),
    /** Of the total received; the mule keeps the rest. */
    payOutShare: real(0.7, 0.95),
    payOutTo: choice({ 'bank-transfer': 40, 'money-transfer': 35, crypto: 25 }),
  },
  // #endregion parameters
  play(s) {
    const credits = s.times(s.start, s.draw('collecting'), s.draw('credits'));
    let received = 0;
    for (const at of credits) {
      const amountMinor = s.draw('creditAmount');
      received += amountMinor;
      s.credit(at, { merchant: s.merchant(BANK_TRANSFER_MCC, s.random.weighted(CITIES, (c) => c.weight)), amountMinor });
    }
    const at = credits[credits.length - 1]! + s.draw('payOutDelay');
    const merchant = s.merchant(PAY_OUT_MCC[s.choose('payOutTo')], s.random.weighted(CITIES, (c) => c.weight));
    s.pay(at, { merchant, amountMinor: Math.round(received * s.draw('payOutShare')), deviceId: s.ownDevice() });
  },
});
