// A traveller: the customer goes away by road, rail or air and pays in shops and at cash machines
// there, after a journey the clock allows, for days. To a rule it can look like a stolen card far
// from home; it is the customer. While away, they make no ordinary payment at home.
import { ordinaryAmount } from '../../baseline';
import { categoryOf } from '../../catalog';
import { DAY, HOUR, MINUTE, choice, duration, integer, observed, real } from '../parameters';
import { behaviour } from '../story';
import { destinations, journeyMs } from '../travel';

const SPENDING_MCCS = ['5812', '5812', '5814', '5411', '5311', '4111', '5912', '6011'] as const;
const OVERLAND_KM = [100, 900] as const;

export const TRAVELLER = behaviour({
  name: 'traveller',
  fraud: false,
  weight: 30,
  // #region parameters
  parameters: {
    /** Where a city lies within reach overland. */
    journey: choice({ overland: 50, flight: 50 }),
    overlandKm: observed(...OVERLAND_KM),
    /** Door to door, stops and changes included: a car or a train. */
    overlandKmh: real(50, 160),
    flightKm: observed(300, 12_000),
    /** Door to door, airports included. */
    flightKmh: real(250, 700),
    /** From arrival to the first payment there. */
    firstPaymentDelay: duration(10 * MINUTE, 4 * HOUR),
    stay: duration(1 * DAY, 10 * DAY),
    paymentsPerDay: integer(2, 6),
  },
  // #endregion parameters
  play(s) {
    const overland = destinations(s.account.home, ...OVERLAND_KM);
    const [to, travelMs] =
      overland.length > 0 && s.choose('journey') === 'overland'
        ? ((d) => [d, journeyMs(s.observe('overlandKm', d.km), s.draw('overlandKmh'))] as const)(s.random.pick(overland))
        : ((d) => [d, journeyMs(s.observe('flightKm', d.km), s.draw('flightKmh'))] as const)(s.random.pick(destinations(s.account.home, 300, 12_000)));
    const arrival = s.start + travelMs;
    const stay = s.draw('stay');
    const payments = Math.max(1, Math.round((s.draw('paymentsPerDay') * stay) / DAY));
    const first = arrival + s.draw('firstPaymentDelay');
    // Spread over the stay, each when people there are up; the last one before the journey home.
    const leave = arrival + stay;
    for (const planned of s.times(first, Math.max(0, leave - first - HOUR), payments)) {
      const at = Math.min(s.whenAwake(planned, to.city), leave - 1);
      const category = categoryOf(s.random.pick(SPENDING_MCCS));
      s.pay(at, { merchant: s.merchant(category.mcc, to.city), amountMinor: ordinaryAmount(s.random, category, s.account.profile.currency) });
    }
    s.awayFromBaseline(s.start, leave + travelMs);
  },
});
