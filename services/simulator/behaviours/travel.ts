// Journeys between the simulator's cities: where a person (or a stolen card) can go, and how long it
// takes door to door. Shared by the thief who travels with a card and the customer who travels with theirs.
import { CITIES, cityDistanceKm, type City } from '../geo';
import { HOUR } from './parameters';

export interface Destination {
  readonly city: City;
  readonly km: number;
}

/** The cities between `minKm` and `maxKm` from `from`, great-circle. */
export function destinations(from: City, minKm: number, maxKm: number): Destination[] {
  return CITIES.flatMap((city) => {
    const km = cityDistanceKm(from, city);
    return city !== from && km >= minKm && km <= maxKm ? [{ city, km }] : [];
  });
}

/** Door to door at an average speed that counts stations, airports and waiting. */
export function journeyMs(km: number, kmPerHour: number): number {
  return Math.round((km / kmPerHour) * HOUR);
}
