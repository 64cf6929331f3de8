import type { Channel } from '../../schemas/types';
import { Pattern } from '../../cep/pattern';
import { defineRule, distanceKm, formatDuration, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

export const MIN_DISTANCE_KM = 500;
export const MAX_SPEED_KMH = 900;
export const WINDOW_MS = 6 * 3_600_000;
/** Channels where the card is physically at the terminal, so the location is the cardholder's. */
export const CARD_PRESENT: ReadonlySet<Channel> = new Set<Channel>(['POS', 'ATM']);

const cardPresent = isTransaction((e) => CARD_PRESENT.has(e.tx.channel));

export const rule = defineRule({
  id: 'impossible-travel',
  description: 'Two consecutive card-present transactions too far apart for the time between them',
  severity: 'HIGH',
  key: 'account',
  score: 0.7,
  // Relaxed contiguity takes the very next card-present transaction, so `from` and `to` are
  // consecutive among them; distance and speed are judged in `when`, as a condition on `to`
  // would skip a nearby transaction and pair non-consecutive ones.
  pattern: Pattern.begin<PatternEvent>('from').where(cardPresent).followedBy('to').where(cardPresent).within(WINDOW_MS),
  when: (_tx, match) => {
    const [from] = transactionsIn(match, 'from');
    const [to] = transactionsIn(match, 'to');
    const km = distanceKm(from!.tx.lat, from!.tx.lon, to!.tx.lat, to!.tx.lon);
    const elapsedMs = to!.time - from!.time;
    const kmh = elapsedMs === 0 ? Infinity : km / (elapsedMs / 3_600_000);
    if (km < MIN_DISTANCE_KM || kmh <= MAX_SPEED_KMH) return null;
    return { distanceKm: Math.round(km), elapsedMs, speedKmh: Math.round(kmh), fromCountry: from!.tx.country, toCountry: to!.tx.country };
  },
  explain: ({ evidence }) =>
    `card-present in ${evidence.fromCountry} then ${evidence.toCountry}, ${evidence.distanceKm} km apart ` +
    `in ${formatDuration(Number(evidence.elapsedMs))} (${evidence.speedKmh} km/h)`,
});
