import type { Channel } from '../../schemas/types';
import { defineRule, distanceKm, formatDuration, type PatternEvent, transactionsIn } from '../../cep/rules';

export const MIN_DISTANCE_KM = 500;
export const MAX_SPEED_KMH = 900;
export const WINDOW_MS = 6 * 3_600_000;
/** Channels where the card is physically at the terminal, so the location is the cardholder's. */
export const CARD_PRESENT: ReadonlySet<Channel> = new Set<Channel>(['POS', 'ATM']);

const cardPresent = (e: PatternEvent): boolean => e.kind === 'transaction' && CARD_PRESENT.has(e.tx.channel);

export const rule = defineRule({
  id: 'impossible-travel',
  description: 'Two consecutive card-present transactions too far apart for the time between them',
  severity: 'HIGH',
  key: 'account',
  score: 0.7,
  // Pairs of consecutive card-present transactions (the matches of `from` followedBy `to`, both
  // card-present, within 6 h), kept as one transaction per account rather than an NFA run;
  // distance and speed are judged in `when`, as filtering the pairs would pair non-consecutive ones.
  pairs: { first: 'from', second: 'to', where: cardPresent, withinMs: WINDOW_MS },
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
