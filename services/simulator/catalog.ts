// What people buy, where, when and for how much. Amount medians are in US cents and converted per
// currency; the log-normal spread gives the long tail real card data has (a few big tickets).
import type { Channel } from '../../schemas/types';

export type HourCurve = readonly number[];

/** 24 hourly weights built from (from, to, weight) spans over a base weight. */
function curve(base: number, ...spans: Array<[from: number, to: number, weight: number]>): HourCurve {
  const hours = Array.from({ length: 24 }, () => base);
  for (const [from, to, weight] of spans) for (let h = from; h < to; h++) hours[h] = weight;
  return hours;
}

const DAYTIME = curve(0.05, [7, 9, 0.6], [9, 19, 1], [19, 22, 0.5]);
const MEALS = curve(0.05, [7, 10, 0.4], [11, 14, 1], [14, 18, 0.3], [18, 22, 0.9], [22, 24, 0.2]);
const EVENING = curve(0.15, [7, 12, 0.4], [12, 18, 0.6], [18, 24, 1]);
const COMMUTE = curve(0.05, [6, 10, 1], [10, 16, 0.4], [16, 20, 1], [20, 24, 0.3]);
const ANY_TIME = curve(0.3, [7, 23, 1]);

/** How likely an account is to be paying at a local hour: people sleep. */
export const ACTIVITY_BY_HOUR: HourCurve = curve(0.1, [6, 8, 0.5], [8, 20, 1], [20, 23, 0.7]);

export interface Category {
  readonly mcc: string;
  readonly name: string;
  readonly channel: Channel;
  readonly medianCents: number;
  readonly sigma: number;
  readonly hours: HourCurve;
  /** Relative frequency among an account's payments. */
  readonly weight: number;
  /** In the starter pack's high-risk set; the baseline spaces these out so no spree forms. */
  readonly highRisk: boolean;
}

const category = (
  mcc: string,
  name: string,
  channel: Channel,
  medianCents: number,
  sigma: number,
  hours: HourCurve,
  weight: number,
  highRisk = false,
): Category => ({ mcc, name, channel, medianCents, sigma, hours, weight, highRisk });

export const CATEGORIES: readonly Category[] = [
  category('5411', 'groceries', 'POS', 3_500, 0.7, DAYTIME, 22),
  category('5541', 'fuel', 'POS', 4_500, 0.4, DAYTIME, 8),
  category('5812', 'restaurants', 'POS', 2_800, 0.6, MEALS, 14),
  category('5814', 'fast food', 'POS', 1_100, 0.5, MEALS, 10),
  category('5912', 'pharmacies', 'POS', 1_800, 0.6, DAYTIME, 5),
  category('5311', 'department stores', 'POS', 6_000, 0.8, DAYTIME, 5),
  category('4111', 'commuter transport', 'POS', 450, 0.4, COMMUTE, 6),
  category('6011', 'cash withdrawal', 'ATM', 10_000, 0.6, ANY_TIME, 5),
  category('6012', 'bank transfer', 'TRANSFER', 30_000, 0.8, DAYTIME, 2),
  category('5999', 'online retail', 'ECOM', 4_000, 0.9, EVENING, 10),
  category('5732', 'electronics', 'ECOM', 15_000, 0.9, EVENING, 2),
  category('4121', 'ride hailing', 'ECOM', 2_200, 0.5, EVENING, 5),
  category('4899', 'streaming subscriptions', 'ECOM', 1_300, 0.3, ANY_TIME, 3),
  category('4511', 'airlines', 'ECOM', 45_000, 0.5, EVENING, 1),
  category('7011', 'hotels', 'ECOM', 25_000, 0.5, EVENING, 1),
  category('7995', 'gambling', 'ECOM', 5_000, 0.8, EVENING, 0.4, true),
  category('6051', 'crypto and quasi-cash', 'ECOM', 20_000, 0.8, EVENING, 0.3, true),
  category('4829', 'money transfer', 'TRANSFER', 25_000, 0.7, DAYTIME, 0.3, true),
  category('5967', 'inbound telemarketing', 'ECOM', 3_000, 0.6, EVENING, 0.2, true),
  category('7801', 'online lotteries', 'ECOM', 2_000, 0.6, EVENING, 0.2, true),
];

export function categoryOf(mcc: string): Category {
  const found = CATEGORIES.find((c) => c.mcc === mcc);
  if (!found) throw new Error(`no merchant category with MCC ${mcc}`);
  return found;
}

/** Card-present channels: the ones whose location is where the card physically was. */
export function isCardPresent(channel: Channel): boolean {
  return channel === 'POS' || channel === 'ATM';
}
