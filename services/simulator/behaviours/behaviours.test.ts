// Every behaviour, played on many seeds: each value it draws lies in its declared range, every
// declared parameter is used, and what it does (counts, amounts, timings, places, devices) agrees
// with the ranges as read from its steps, independently of what it recorded.
import { MAX_AMOUNT_MINOR, MIN_AMOUNT_MINOR } from '../baseline';
import { categoryOf, isCardPresent } from '../catalog';
import { distanceKm } from '../geo';
import { Ids, Merchants, createAccount, type Account } from '../population';
import { Random } from '../random';
import { ACCOUNT_TAKEOVER } from './account-takeover';
import { CARD_TESTING } from './card-testing';
import { FRAUD_BEHAVIOURS, LOOK_ALIKES } from './catalog';
import { FRIENDLY_FRAUD } from './friendly-fraud';
import { BIG_PURCHASE } from './look-alikes/big-purchase';
import { SALARY_DAY } from './look-alikes/salary-day';
import { SUBSCRIPTIONS } from './look-alikes/subscriptions';
import { TRAVELLER } from './look-alikes/traveller';
import { LOW_AND_SLOW } from './low-and-slow';
import { MONEY_MULE } from './money-mule';
import { DAY, HOUR, MINUTE, SECOND, allows } from './parameters';
import { STOLEN_CARD_FAR_FROM_HOME } from './stolen-card-far-from-home';
import { Story, type AuthStep, type Behaviour, type PaymentStep } from './story';

const START = Date.UTC(2026, 2, 2, 6);
const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

interface Played {
  readonly story: Story<Behaviour['parameters']>;
  readonly account: Account;
  readonly payments: PaymentStep[];
  readonly auth: AuthStep[];
}

const ids = new Ids('behaviours');
const merchants = new Merchants(new Random('merchants'), ids);

function play(behaviour: Behaviour, seed: number): Played {
  const random = new Random(`${behaviour.name}/${seed}`);
  const account = createAccount(random, ids, START);
  const story = new Story({ name: behaviour.name, parameters: behaviour.parameters, random, merchants, account, start: START });
  behaviour.play(story);
  const payments = story.steps.flatMap((s) => (s.kind === 'payment' ? [s] : []));
  const auth = story.steps.flatMap((s) => (s.kind === 'auth' ? [s] : []));
  return { story, account, payments, auth };
}

const played = new Map<Behaviour, Played[]>();
const runs = (behaviour: Behaviour): Played[] => {
  if (!played.has(behaviour)) played.set(behaviour, SEEDS.map((seed) => play(behaviour, seed)));
  return played.get(behaviour)!;
};
const between = (value: number, min: number, max: number) => value >= min && value <= max;
const span = (steps: readonly { at: number }[]) => steps[steps.length - 1]!.at - steps[0]!.at;
const kmFromHome = (account: Account, step: PaymentStep) => distanceKm(account.home.lat, account.home.lon, step.merchant.lat, step.merchant.lon);
const ownDevice = (account: Account, deviceId: string | undefined) => deviceId === undefined || account.devices.includes(deviceId);
/** Each check as [what, holds], so that a failure names what failed. */
const failing = (checks: ReadonlyArray<readonly [string, boolean]>) => checks.filter(([, ok]) => !ok).map(([what]) => what);

describe.each([...FRAUD_BEHAVIOURS, ...LOOK_ALIKES].map((b) => [b.name, b] as const))('%s', (_name, behaviour) => {
  const instances = runs(behaviour);

  it('draws every value within its declared range, over 300 seeds', () => {
    const outside = instances.flatMap(({ story }) =>
      [...story.drawn].flatMap(([name, values]) => values.filter((v) => !allows(behaviour.parameters[name]!, v)).map((v) => `${name} = ${String(v)}`)),
    );
    expect(outside).toEqual([]);
  });

  it('uses every parameter it declares', () => {
    const used = new Set(instances.flatMap(({ story }) => [...story.drawn.keys()]));
    expect(Object.keys(behaviour.parameters).filter((name) => !used.has(name))).toEqual([]);
  });

  it('writes no step before its start', () => {
    expect(instances.every(({ story }) => story.steps.every((s) => s.at >= START) && story.steps.length > 0)).toBe(true);
  });
});

describe('card-testing', () => {
  it('probes 2-15 times with 0.50-5.00 over 1-30 minutes at 1-4 merchants, then cashes out 1-4 times', () => {
    for (const { account, payments } of runs(CARD_TESTING)) {
      const firstCashOut = payments.findIndex((p) => p.amountMinor >= 10_000);
      const probes = payments.slice(0, firstCashOut);
      const cashOuts = payments.slice(firstCashOut);
      const online = payments[0]!.merchant.category.channel === 'ECOM';
      expect(failing([
        ['2-15 probes', between(probes.length, 2, 15)],
        ['probes of 0.50-5.00', probes.every((p) => between(p.amountMinor, 50, 500))],
        ['probing over 1-30 minutes', between(span(probes), MINUTE, 30 * MINUTE)],
        ['1-4 probe merchants', between(new Set(probes.map((p) => p.merchant.id)).size, 1, 4)],
        ['1-4 cash-outs of 100.00-2,000.00', between(cashOuts.length, 1, 4) && cashOuts.every((p) => between(p.amountMinor, 10_000, 200_000))],
        ['cash-out 1 minute to 12 hours after the probes', between(cashOuts[0]!.at - probes[probes.length - 1]!.at, MINUTE, 12 * HOUR)],
        ['one card', new Set(payments.map((p) => p.card)).size === 1],
        ['online from a device of the fraudster, or in person', online ? payments.every((p) => p.merchant.category.channel === 'ECOM' && !ownDevice(account, p.deviceId)) : payments.every((p) => isCardPresent(p.merchant.category.channel))],
      ])).toEqual([]);
    }
  });

  it('sometimes declines a probe, mostly online', () => {
    const instances = runs(CARD_TESTING);
    expect(instances.some(({ payments }) => payments.some((p) => p.authStatus === 'DECLINED'))).toBe(true);
    const online = instances.filter(({ payments }) => payments[0]!.merchant.category.channel === 'ECOM').length / instances.length;
    expect(between(online, 0.75, 0.95)).toBe(true);
  });
});

describe('account-takeover', () => {
  it('gets in (after 1-6 failures, sometimes), changes a device, the password or a contact, then cashes out in 2-8 payments of 200.00-1,500.00', () => {
    for (const { account, story, payments, auth } of runs(ACCOUNT_TAKEOVER)) {
      const failures = auth.filter((a) => a.type === 'LOGIN_FAILURE');
      const way = auth.find((a) => a.type === 'NEW_DEVICE' || a.type === 'LOGIN_SUCCESS')!;
      const changes = auth.filter((a) => ['NEW_DEVICE', 'PASSWORD_CHANGE', 'EMAIL_CHANGE', 'PHONE_CHANGE'].includes(a.type));
      const contact = story.steps.filter((s) => s.kind === 'contact-change');
      const lastChange = Math.max(...changes.map((c) => c.at), ...contact.map((c) => c.at));
      expect(failing([
        ['0 or 1-6 failures, all before getting in', (failures.length === 0 || between(failures.length, 1, 6)) && failures.every((f) => f.at <= way.at)],
        ['at least one change', changes.length > 0],
        ['a contact change is a new profile version', contact.length === auth.filter((a) => a.type === 'EMAIL_CHANGE' || a.type === 'PHONE_CHANGE').length],
        ['2-8 cash-outs of 200.00-1,500.00', between(payments.length, 2, 8) && payments.every((p) => between(p.amountMinor, 20_000, 150_000))],
        ['the first 2 minutes to a day after the last change', between(payments[0]!.at - lastChange, 2 * MINUTE - SECOND, DAY)],
        ['spread over at most 7 gaps of 3 hours', span(payments) <= 7 * 3 * HOUR],
        ['one device throughout', new Set([...auth.map((a) => a.deviceId), ...payments.map((p) => p.deviceId)]).size === 1],
        ["the customer's device only without a device change", ownDevice(account, way.deviceId) === (way.type === 'LOGIN_SUCCESS')],
      ])).toEqual([]);
    }
  });
});

describe('stolen-card-far-from-home', () => {
  const instances = runs(STOLEN_CARD_FAR_FROM_HOME);
  const travelled = instances.filter(({ story }) => story.absences.length > 0);
  const cloned = instances.filter(({ story }) => story.absences.length === 0);

  it('uses the card 2-8 times in shops and at cash machines of one city far from home, for 20.00-800.00', () => {
    for (const { account, payments } of instances) {
      expect(failing([
        ['2-8 uses', between(payments.length, 2, 8)],
        ['card-present', payments.every((p) => isCardPresent(p.merchant.category.channel))],
        ['one city, not home', new Set(payments.map((p) => p.merchant.city.name)).size === 1 && payments[0]!.merchant.city !== account.home],
        ['20.00-800.00', payments.every((p) => between(p.amountMinor, 2_000, 80_000))],
        ['one card', new Set(payments.map((p) => p.card)).size === 1],
      ])).toEqual([]);
    }
  });

  it('when the card travelled, arrives no faster than a car, a train or a plane goes, and the customer pays nothing meanwhile', () => {
    expect(travelled.length).toBeGreaterThan(100);
    for (const { account, story, payments } of travelled) {
      const km = kmFromHome(account, payments[0]!);
      const kmh = km / ((payments[0]!.at - story.start) / HOUR);
      // Shops lie up to 15 km from a city centre, on either side.
      expect(failing([
        ['100-12,000 km away', between(km, 100 - 30, 12_000 + 30)],
        ['no faster than 160 km/h overland, 700 km/h by air, door to door', kmh <= (story.drawn.has('overlandKmh') ? 160 : 700)],
        ['the customer away from the theft to the last use', story.absences.length === 1 && story.absences[0]!.from === story.start && story.absences[0]!.until === payments[payments.length - 1]!.at],
      ])).toEqual([]);
    }
    expect(travelled.some(({ story }) => story.drawn.get('journey')?.[0] === 'overland')).toBe(true);
  });

  it('when the card was cloned, is used at once at least 1,000 km away while the customer keeps paying at home', () => {
    expect(cloned.length).toBeGreaterThan(100);
    for (const { account, story, payments } of cloned) {
      expect(failing([
        ['1,000 km or more away', kmFromHome(account, payments[0]!) >= 1_000 - 30],
        ['first used at the start', payments[0]!.at === story.start],
      ])).toEqual([]);
    }
  });
});

describe('money-mule', () => {
  it('receives 5-40 credits of 20.00-800.00 over 2 hours to 5 days, then pays 70-95% of them out in one payment', () => {
    for (const { account, payments } of runs(MONEY_MULE)) {
      const credits = payments.filter((p) => p.credit);
      const out = payments.filter((p) => !p.credit);
      const received = credits.reduce((sum, p) => sum + p.amountMinor, 0);
      expect(failing([
        ['5-40 credits of 20.00-800.00', between(credits.length, 5, 40) && credits.every((p) => between(p.amountMinor, 2_000, 80_000))],
        ['credits are transfers', credits.every((p) => p.merchant.category.channel === 'TRANSFER')],
        ['over 2 hours to 5 days', between(span(credits), 2 * HOUR, 5 * DAY)],
        ['one payment out, last', out.length === 1 && payments[payments.length - 1] === out[0]],
        ['10 minutes to 2 days after the last credit', between(out[0]!.at - credits[credits.length - 1]!.at, 10 * MINUTE, 2 * DAY)],
        ['70-95% of what came in', between(out[0]!.amountMinor, Math.floor(0.7 * received), Math.ceil(0.95 * received))],
        ["from the mule's own device", ownDevice(account, out[0]!.deviceId)],
      ])).toEqual([]);
    }
  });
});

describe('low-and-slow', () => {
  it('pays 4-20 times over 2-14 days, each just under one round limit, from a device of its own', () => {
    for (const { account, payments } of runs(LOW_AND_SLOW)) {
      const limit = [25_000, 50_000, 100_000].find((l) => payments.every((p) => p.amountMinor < l && p.amountMinor >= 0.95 * l));
      expect(failing([
        ['4-20 payments', between(payments.length, 4, 20)],
        ['over 2-14 days', between(span(payments), 2 * DAY, 14 * DAY)],
        ['each within 5% under 250, 500 or 1,000', limit !== undefined],
        ['not the customer', payments.every((p) => !ownDevice(account, p.deviceId))],
      ])).toEqual([]);
    }
  });
});

describe('friendly-fraud', () => {
  it("buys 1-4 times online as the customer always does: everyday categories and amounts, the customer's own card and device", () => {
    for (const { account, payments } of runs(FRIENDLY_FRAUD)) {
      expect(failing([
        ['1-4 purchases', between(payments.length, 1, 4)],
        ['online, everyday categories', payments.every((p) => p.merchant.category.channel === 'ECOM' && !p.merchant.category.highRisk)],
        ['amounts of everyday spending', payments.every((p) => between(p.amountMinor, MIN_AMOUNT_MINOR, MAX_AMOUNT_MINOR))],
        ['own card, device and address', payments.every((p) => account.cards.includes(p.card) && ownDevice(account, p.deviceId) && p.ip === undefined)],
        ['approved', payments.every((p) => p.authStatus === 'APPROVED')],
      ])).toEqual([]);
    }
  });
});

describe('look-alikes', () => {
  it('traveller: pays in one city away after a journey the clock allows, and makes no ordinary payment while away', () => {
    for (const { account, story, payments } of runs(TRAVELLER)) {
      const kmh = kmFromHome(account, payments[0]!) / ((payments[0]!.at - story.start) / HOUR);
      expect(failing([
        ['card-present in one city away', payments.every((p) => isCardPresent(p.merchant.category.channel)) && new Set(payments.map((p) => p.merchant.city.name)).size === 1 && payments[0]!.merchant.city !== account.home],
        ['no faster than 160 km/h overland, 700 km/h by air, door to door', kmh <= (story.drawn.has('overlandKmh') ? 160 : 700)],
        ['away from the departure past the last payment', story.absences.length === 1 && story.absences[0]!.from === story.start && story.absences[0]!.until > payments[payments.length - 1]!.at],
        ["the customer's own card", payments.every((p) => account.cards.includes(p.card))],
      ])).toEqual([]);
    }
  });

  it('big purchase: one payment of 30-95% of the credit limit', () => {
    for (const { account, payments } of runs(BIG_PURCHASE)) {
      const limit = account.profile.creditLimitMinor;
      expect(payments.length === 1 && between(payments[0]!.amountMinor, Math.floor(0.3 * limit), Math.ceil(0.95 * limit)) && ownDevice(account, payments[0]!.deviceId)).toBe(true);
    }
  });

  it('salary day: a salary of 1,500.00-6,000.00 in, then 3-10 everyday payments within 8 hours, sometimes a transfer of 20-50% of it out', () => {
    for (const { payments } of runs(SALARY_DAY)) {
      const [salary, ...after] = payments;
      const out = after.filter((p) => p.merchant.category.mcc === '6012');
      const spending = after.filter((p) => p.merchant.category.mcc !== '6012');
      expect(failing([
        ['a salary credit first', salary!.credit && between(salary!.amountMinor, 150_000, 600_000)],
        ['3-10 everyday payments', between(spending.length, 3, 10) && spending.every((p) => !p.merchant.category.highRisk)],
        ['within 8 hours', span(payments) <= 8 * HOUR],
        ['at most one transfer out, of 20-50%', out.length <= 1 && out.every((p) => between(p.amountMinor, Math.floor(0.2 * salary!.amountMinor), Math.ceil(0.5 * salary!.amountMinor)))],
      ])).toEqual([]);
    }
  });

  it('subscription cluster: 3-8 online charges of 0.99-19.99 within 20 minutes on one card of the customer', () => {
    for (const { account, payments } of runs(SUBSCRIPTIONS)) {
      expect(failing([
        ['3-8 charges', between(payments.length, 3, 8)],
        ['0.99-19.99 online', payments.every((p) => between(p.amountMinor, 99, 1_999) && categoryOf(p.merchant.category.mcc).channel === 'ECOM')],
        ['within 20 minutes', span(payments) <= 20 * MINUTE],
        ["one of the customer's cards", new Set(payments.map((p) => p.card)).size === 1 && account.cards.includes(payments[0]!.card)],
      ])).toEqual([]);
    }
  });
});
