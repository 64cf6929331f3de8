// impossible-travel (per account): two consecutive card-present payments >= 500 km apart, with an
// implied speed above 900 km/h, within 6 hours; the second one is flagged.
import { CITIES, cityDistanceKm, type City } from '../geo';
import { HOUR, MINUTE, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'impossible-travel';

interface Trip {
  readonly from: City;
  readonly to: City;
  readonly km: number;
}

const TRIPS: readonly Trip[] = CITIES.flatMap((from) =>
  CITIES.filter((to) => to !== from).map((to) => ({ from, to, km: cityDistanceKm(from, to) })),
);

function tripBetween(s: ScenarioScript, minKm: number, maxKm: number): Trip {
  return s.random.pick(TRIPS.filter((t) => t.km >= minKm && t.km <= maxKm));
}

/** A card-present payment at home, then one in the other city after `hours(km)`: POS or online. */
function travel(s: ScenarioScript, trip: Trip, afterMs: number, secondOnline = false): void {
  s.open({ home: trip.from });
  s.pay(0, { amountMinor: s.random.int(1_500, 8_000), mcc: '5812' });
  const second = secondOnline
    ? s.pay(afterMs, { amountMinor: s.random.int(10_000, 40_000), mcc: '7011', city: trip.to })
    : s.pay(afterMs, { amountMinor: s.random.int(1_500, 8_000), mcc: '5411', city: trip.to });
  s.complete(second);
}

const atSpeed = (trip: Trip, kmPerHour: number) => Math.round((trip.km / kmPerHour) * HOUR);

export const IMPOSSIBLE_TRAVEL: readonly ScenarioKind[] = [
  // 2,000-9,000 km at 2,500 km/h: at most 3.6 h.
  scenarioKind(RULE, null, true, 3.6 * HOUR, (s) => {
    const trip = tripBetween(s, 2_000, 9_000);
    travel(s, trip, atSpeed(trip, 2_500));
  }),
  // Far away and soon, but online: the card was never there.
  scenarioKind(RULE, 'far-online', false, HOUR, (s) => travel(s, tripBetween(s, 2_000, 9_000), HOUR, true)),
  // Far enough, but at 700 km/h, which a flight allows; at most 4,000 km, so within 6 h.
  scenarioKind(RULE, 'plausible-flight', false, (4_000 / 700) * HOUR, (s) => {
    const trip = tripBetween(s, 600, 4_000);
    travel(s, trip, atSpeed(trip, 700));
  }),
  // Fast (1,500 km/h) but under 500 km apart.
  scenarioKind(RULE, 'nearby', false, (480 / 1_500) * HOUR, (s) => {
    const trip = tripBetween(s, 150, 480);
    travel(s, trip, atSpeed(trip, 1_500));
  }),
  // Over 5,600 km in 6 h 10 min is faster than 900 km/h, but outside the 6-hour window.
  scenarioKind(RULE, 'after-six-hours', false, 6 * HOUR + 10 * MINUTE, (s) =>
    travel(s, tripBetween(s, 5_600, 20_000), 6 * HOUR + 10 * MINUTE),
  ),
];
