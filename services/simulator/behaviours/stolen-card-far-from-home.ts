// A card used in shops and at cash machines far from where its customer lives. Either the card was
// stolen and travelled with the thief, by road, rail or air, so the clock allows the journey (and the
// customer, without the card, pays nothing meanwhile); or a copy was made from a skimmer and used
// while the customer still had the card at home, which no journey explains.
import { HOUR, MINUTE, choice, duration, integer, money, observed, real } from './parameters';
import { behaviour } from './story';
import { destinations, journeyMs } from './travel';

const CARD_PRESENT_MCCS = ['5311', '5411', '5541', '5812', '5912', '6011', '6011'] as const;
const OVERLAND_KM = [100, 900] as const;

export const STOLEN_CARD_FAR_FROM_HOME = behaviour({
  name: 'stolen-card-far-from-home',
  fraud: true,
  weight: 15,
  // #region parameters
  parameters: {
    /** The card travelled with a thief, or a skimmed copy was used while the customer kept the card. */
    how: choice({ travelled: 50, cloned: 50 }),
    /** The thief's journey, where a city lies within reach overland. */
    journey: choice({ overland: 60, flight: 40 }),
    overlandKm: observed(...OVERLAND_KM),
    /** Door to door, stops and changes included: a car or a train. */
    overlandKmh: real(50, 160),
    flightKm: observed(500, 12_000),
    /** Door to door, airports included. */
    flightKmh: real(250, 700),
    /** From arrival to the first use. */
    firstUseDelay: duration(10 * MINUTE, 6 * HOUR),
    clonedKm: observed(1_000, 20_000),
    uses: integer(2, 8),
    useAmount: money(20, 800),
    useGap: duration(5 * MINUTE, 4 * HOUR),
  },
  // #endregion parameters
  play(s) {
    const home = s.account.home;
    const card = s.card();
    const travelled = s.choose('how') === 'travelled';
    let city = home;
    let firstUse = s.start;
    if (travelled) {
      const overland = destinations(home, ...OVERLAND_KM);
      if (overland.length > 0 && s.choose('journey') === 'overland') {
        const to = s.random.pick(overland);
        city = to.city;
        firstUse += journeyMs(s.observe('overlandKm', to.km), s.draw('overlandKmh'));
      } else {
        const to = s.random.pick(destinations(home, 500, 12_000));
        city = to.city;
        firstUse += journeyMs(s.observe('flightKm', to.km), s.draw('flightKmh'));
      }
      firstUse += s.draw('firstUseDelay');
    } else {
      const to = s.random.pick(destinations(home, 1_000, 20_000));
      city = to.city;
      s.observe('clonedKm', to.km);
    }
    let at = firstUse;
    const uses = s.draw('uses');
    for (let i = 0; i < uses; i++) {
      if (i > 0) at += s.draw('useGap');
      const merchant = s.merchant(s.random.pick(CARD_PRESENT_MCCS), city);
      const amount = s.draw('useAmount');
      // Cash comes out of an ATM in round amounts.
      s.pay(at, { merchant, amountMinor: merchant.category.channel === 'ATM' ? Math.round(amount / 1_000) * 1_000 : amount, card });
    }
    // The customer lost the card when the thief set off with it, and pays nothing until it is used up.
    if (travelled) s.awayFromBaseline(s.start, at);
  },
});
