// Salary day: the salary arrives, and the same day the account spends more than usual, and often
// moves part of it out again (rent, savings). Money in, then out, in a burst: the shape of a mule
// or a takeover, and entirely ordinary.
import { ordinaryAmount } from '../../baseline';
import { CATEGORIES } from '../../catalog';
import { HOUR, MINUTE, chance, duration, integer, money, real } from '../parameters';
import { behaviour } from '../story';

const BANK_TRANSFER_MCC = '6012';
const EVERYDAY = CATEGORIES.filter((c) => !c.highRisk && c.channel !== 'TRANSFER');

export const SALARY_DAY = behaviour({
  name: 'salary-day',
  fraud: false,
  weight: 25,
  // #region parameters
  parameters: {
    salary: money(1_500, 6_000),
    /** Payments after the salary arrives. */
    spending: integer(3, 10),
    /** From the salary to the last of them. */
    burst: duration(30 * MINUTE, 8 * HOUR),
    /** Rent or savings moved out the same day. */
    transferOut: chance(0.5),
    transferOutAfter: duration(5 * MINUTE, 2 * HOUR),
    transferOutShare: real(0.2, 0.5),
  },
  // #endregion parameters
  play(s) {
    const salary = s.draw('salary');
    // The employer's bank, in the city the customer lives and works in.
    s.credit(s.start, { merchant: s.merchant(BANK_TRANSFER_MCC), amountMinor: salary });
    const deviceId = s.ownDevice();
    const [, ...times] = s.times(s.start, s.draw('burst'), s.draw('spending') + 1);
    for (const at of times) {
      const category = s.random.weighted(EVERYDAY, (c) => c.weight);
      s.pay(at, { merchant: s.merchant(category.mcc), amountMinor: ordinaryAmount(s.random, category, s.account.profile.currency), deviceId });
    }
    if (s.maybe('transferOut')) {
      s.pay(s.start + s.draw('transferOutAfter'), { merchant: s.merchant(BANK_TRANSFER_MCC), amountMinor: Math.round(salary * s.draw('transferOutShare')), deviceId });
    }
  },
});
