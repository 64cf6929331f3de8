// Where accounts live and merchants trade. Currencies are limited to those whose minor unit is worth
// roughly a US cent (the yen included), because the starter rules compare raw minor units: in
// rupees or won the same purchase would cross thresholds that were written with cents in mind.
import type { Random } from './random';

export interface City {
  readonly name: string;
  /** ISO 3166-1 alpha-2 */
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  /** ISO 4217 */
  readonly currency: string;
  /** Standard time, hours from UTC: drives the local daily rhythm (daylight saving is ignored). */
  readonly utcOffset: number;
  /** Relative share of accounts living there. */
  readonly weight: number;
}

const city = (name: string, country: string, lat: number, lon: number, currency: string, utcOffset: number, weight: number): City => ({
  name,
  country,
  lat,
  lon,
  currency,
  utcOffset,
  weight,
});

export const CITIES: readonly City[] = [
  city('New York', 'US', 40.7128, -74.006, 'USD', -5, 8),
  city('Los Angeles', 'US', 34.0522, -118.2437, 'USD', -8, 6),
  city('Chicago', 'US', 41.8781, -87.6298, 'USD', -6, 4),
  city('San Francisco', 'US', 37.7749, -122.4194, 'USD', -8, 3),
  city('Miami', 'US', 25.7617, -80.1918, 'USD', -5, 2),
  city('Seattle', 'US', 47.6062, -122.3321, 'USD', -8, 2),
  city('Boston', 'US', 42.3601, -71.0589, 'USD', -5, 2),
  city('Houston', 'US', 29.7604, -95.3698, 'USD', -6, 3),
  city('Honolulu', 'US', 21.3069, -157.8583, 'USD', -10, 1),
  city('Toronto', 'CA', 43.6532, -79.3832, 'CAD', -5, 3),
  city('Montreal', 'CA', 45.5017, -73.5673, 'CAD', -5, 2),
  city('Vancouver', 'CA', 49.2827, -123.1207, 'CAD', -8, 2),
  city('London', 'GB', 51.5074, -0.1278, 'GBP', 0, 7),
  city('Manchester', 'GB', 53.4808, -2.2426, 'GBP', 0, 2),
  city('Edinburgh', 'GB', 55.9533, -3.1883, 'GBP', 0, 1),
  city('Dublin', 'IE', 53.3498, -6.2603, 'EUR', 0, 2),
  city('Paris', 'FR', 48.8566, 2.3522, 'EUR', 1, 6),
  city('Lyon', 'FR', 45.764, 4.8357, 'EUR', 1, 2),
  city('Berlin', 'DE', 52.52, 13.405, 'EUR', 1, 4),
  city('Munich', 'DE', 48.1351, 11.582, 'EUR', 1, 2),
  city('Hamburg', 'DE', 53.5511, 9.9937, 'EUR', 1, 2),
  city('Amsterdam', 'NL', 52.3676, 4.9041, 'EUR', 1, 2),
  city('Brussels', 'BE', 50.8503, 4.3517, 'EUR', 1, 2),
  city('Madrid', 'ES', 40.4168, -3.7038, 'EUR', 1, 3),
  city('Barcelona', 'ES', 41.3874, 2.1686, 'EUR', 1, 2),
  city('Lisbon', 'PT', 38.7223, -9.1393, 'EUR', 0, 2),
  city('Rome', 'IT', 41.9028, 12.4964, 'EUR', 1, 3),
  city('Milan', 'IT', 45.4642, 9.19, 'EUR', 1, 2),
  city('Vienna', 'AT', 48.2082, 16.3738, 'EUR', 1, 2),
  city('Helsinki', 'FI', 60.1699, 24.9384, 'EUR', 2, 1),
  city('Athens', 'GR', 37.9838, 23.7275, 'EUR', 2, 2),
  city('Zurich', 'CH', 47.3769, 8.5417, 'CHF', 1, 2),
  city('Geneva', 'CH', 46.2044, 6.1432, 'CHF', 1, 1),
  city('Tokyo', 'JP', 35.6762, 139.6503, 'JPY', 9, 7),
  city('Osaka', 'JP', 34.6937, 135.5023, 'JPY', 9, 3),
  city('Singapore', 'SG', 1.3521, 103.8198, 'SGD', 8, 3),
  city('Sydney', 'AU', -33.8688, 151.2093, 'AUD', 10, 3),
  city('Melbourne', 'AU', -37.8136, 144.9631, 'AUD', 10, 3),
  city('Perth', 'AU', -31.9505, 115.8605, 'AUD', 8, 1),
  city('Auckland', 'NZ', -36.8485, 174.7633, 'NZD', 12, 1),
];

/** Minor units per US cent, so one amount model serves every currency. */
export const MINOR_UNITS_PER_CENT: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  CHF: 0.88,
  CAD: 1.36,
  AUD: 1.52,
  NZD: 1.65,
  SGD: 1.34,
  JPY: 1.5,
};

const EARTH_RADIUS_KM = 6371;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = toRadians(lat2 - lat1);
  const dLon = toRadians(lon2 - lon1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Point {
  readonly lat: number;
  readonly lon: number;
}

/** A point up to `radiusKm` from the city centre (a shop, an ATM, a street address). */
export function pointNear(center: Point, radiusKm: number, random: Random): Point {
  const distance = radiusKm * Math.sqrt(random.next());
  const bearing = 2 * Math.PI * random.next();
  const dLat = (distance / EARTH_RADIUS_KM) * Math.cos(bearing);
  const dLon = (distance / EARTH_RADIUS_KM) * Math.sin(bearing) / Math.cos(toRadians(center.lat));
  return { lat: round6(center.lat + (dLat * 180) / Math.PI), lon: round6(center.lon + (dLon * 180) / Math.PI) };
}

/** Six decimals (about 10 cm): enough for a location, and stable text in logs and tests. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function cityDistanceKm(a: City, b: City): number {
  return distanceKm(a.lat, a.lon, b.lat, b.lon);
}

/** Local hour of day (0-23) in the city at an epoch-millisecond instant. */
export function localHour(cityOf: City, epochMs: number): number {
  const hours = Math.floor(epochMs / 3_600_000) + cityOf.utcOffset;
  return ((hours % 24) + 24) % 24;
}
