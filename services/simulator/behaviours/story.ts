// The vocabulary behaviours are written in: one instance on one account, as steps in event time
// (payments, credits, logins, contact changes) and the parameters it drew. Nothing is published
// here: the traffic turns each step into records when the run reaches its time, so that a step sees
// the account as it is then (its newest profile version, its devices).
import type { AuthEventType, AuthStatus } from '../../../schemas/types';
import type { Absence } from '../baseline';
import { ACTIVITY_BY_HOUR, categoryOf } from '../catalog';
import { localHour, type City } from '../geo';
import type { AuthOrigin } from '../payments';
import { newDevice, newFingerprint, newIp, type Account, type Merchant, type Merchants } from '../population';
import type { Random } from '../random';
import {
  MINUTE,
  SECOND,
  allows,
  drawNumber,
  type ChanceName,
  type ChoiceName,
  type DrawnName,
  type ObservedName,
  type OptionOf,
  type Parameter,
  type Parameters,
  type Value,
} from './parameters';

export interface Behaviour<P extends Parameters = Parameters> {
  /** The label's `scenario`: card-testing, account-takeover, ... */
  readonly name: string;
  /** false for a look-alike: legitimate traffic that resembles fraud, never labelled. */
  readonly fraud: boolean;
  /** Share among the instances of its kind (fraud, or look-alikes). */
  readonly weight: number;
  readonly parameters: P;
  play(story: Story<P>): void;
}

/**
 * Declares a behaviour. Its story is typed by its parameters, so that a misspelt or undeclared name
 * does not compile; the declaration is then kept as a behaviour of any parameters, which is what a
 * list of behaviours holds (the names only narrow the story's methods, at run time any story plays).
 */
export function behaviour<P extends Parameters>(definition: Behaviour<P>): Behaviour {
  return definition as unknown as Behaviour;
}

export interface PaymentStep {
  readonly kind: 'payment';
  readonly at: number;
  readonly merchant: Merchant;
  readonly amountMinor: number;
  readonly card: string;
  readonly authStatus: AuthStatus;
  /** A remote payment's device; the account's newest when absent. */
  readonly deviceId?: string;
  /** A remote payment's address; the account's own when absent. */
  readonly ip?: string;
  /** Money in (see Payment.credit). */
  readonly credit: boolean;
}

export interface AuthStep {
  readonly kind: 'auth';
  readonly at: number;
  readonly type: AuthEventType;
  readonly deviceId?: string;
  readonly origin?: AuthOrigin;
}

export interface ContactChangeStep {
  readonly kind: 'contact-change';
  readonly at: number;
  readonly field: 'emailFingerprint' | 'phoneFingerprint';
  readonly fingerprint: string;
}

export type Step = PaymentStep | AuthStep | ContactChangeStep;

/** Who acts: a device, and where it connects from; the account's own newest device and address when absent. */
export interface Actor {
  readonly deviceId?: string;
  readonly origin?: AuthOrigin;
}

/** Someone else at the keyboard: a device and an address the account has never used. */
export interface Fraudster extends Actor {
  readonly deviceId: string;
  readonly origin: AuthOrigin;
}

export interface PaymentSpec {
  readonly merchant: Merchant;
  readonly amountMinor: number;
  /** Default: one of the account's cards. */
  readonly card?: string;
  readonly authStatus?: AuthStatus;
  readonly deviceId?: string;
  readonly ip?: string;
}

export interface StoryContext {
  /** The behaviour's name and parameters. */
  readonly name: string;
  readonly parameters: Parameters;
  readonly random: Random;
  readonly merchants: Merchants;
  readonly account: Account;
  readonly start: number;
}

export class Story<P extends Parameters> {
  readonly random: Random;
  readonly account: Account;
  /** When the instance begins: no step comes before it. */
  readonly start: number;
  readonly #context: StoryContext;
  readonly #drawn = new Map<string, Value[]>();
  readonly #steps: Step[] = [];
  readonly #absences: Absence[] = [];

  constructor(context: StoryContext) {
    this.#context = context;
    this.random = context.random;
    this.account = context.account;
    this.start = context.start;
  }

  /** A value of a drawn parameter (integer, real or duration), recorded. */
  draw(name: DrawnName<P>): number {
    const parameter = this.#parameter(name);
    if (parameter.kind !== 'integer' && parameter.kind !== 'real' && parameter.kind !== 'duration') throw new Error(`${name} is not drawn but ${parameter.kind}`);
    return this.#record(name, drawNumber(this.random, parameter));
  }

  choose<K extends ChoiceName<P>>(name: K): OptionOf<P[K]> {
    const parameter = this.#parameter(name);
    if (parameter.kind !== 'choice') throw new Error(`${name} is not a choice`);
    const options = Object.keys(parameter.weights);
    return this.#record(name, this.random.weighted(options, (option) => parameter.weights[option]!)) as OptionOf<P[K]>;
  }

  maybe(name: ChanceName<P>): boolean {
    const parameter = this.#parameter(name);
    if (parameter.kind !== 'chance') throw new Error(`${name} is not a chance`);
    return this.#record(name, this.random.chance(parameter.probability));
  }

  /** Records a value the story found rather than drew; outside its declared range it is a bug. */
  observe(name: ObservedName<P>, value: number): number {
    return this.#record(name, value);
  }

  /** A merchant of the category: an online one anywhere in the world, any other in the city. */
  merchant(mcc: string, city = this.account.home): Merchant {
    const category = categoryOf(mcc);
    return category.channel === 'ECOM' ? this.#context.merchants.pick(this.random, category, city) : this.random.pick(this.#context.merchants.located(category, city));
  }

  card(): string {
    return this.random.pick(this.account.cards);
  }

  /** `count` times over `span` from `from`: the first at `from`, the last at `from + span`, the others anywhere between. */
  times(from: number, span: number, count: number): number[] {
    if (count <= 1) return count === 1 ? [from] : [];
    const between = Array.from({ length: count - 2 }, () => from + Math.floor(this.random.next() * span));
    return [from, ...between.sort((a, b) => a - b), from + span];
  }

  /** `at`, or a little later when people in the city are asleep then: the daily rhythm of ordinary spending. */
  whenAwake(at: number, city: City = this.account.home): number {
    let time = at;
    while (!this.random.chance(ACTIVITY_BY_HOUR[localHour(city, time)]!)) time += this.random.int(5, 60) * MINUTE;
    return time;
  }

  /** One of the devices the account has used so far. */
  ownDevice(): string {
    return this.random.pick(this.account.devices);
  }

  /** A fraudster's device and address, connecting from `country` (the account's own by default, as through a proxy). */
  fraudster(country = this.account.home.country): Fraudster {
    return { deviceId: newDevice(this.random), origin: { ip: newIp(this.random), country } };
  }

  pay(at: number, payment: PaymentSpec): void {
    this.#add({
      kind: 'payment',
      at,
      merchant: payment.merchant,
      amountMinor: payment.amountMinor,
      card: payment.card ?? this.card(),
      authStatus: payment.authStatus ?? 'APPROVED',
      deviceId: payment.deviceId,
      ip: payment.ip,
      credit: false,
    });
  }

  /** Money in: a transfer from a bank (`merchant`, where the payer banks) to the account. */
  credit(at: number, from: { readonly merchant: Merchant; readonly amountMinor: number }): void {
    // The schema asks every transaction for a card; a credit to the account names its first.
    this.#add({ kind: 'payment', at, ...from, card: this.account.cards[0]!, authStatus: 'APPROVED', credit: true });
  }

  auth(at: number, type: AuthEventType, by?: Actor): void {
    this.#add({ kind: 'auth', at, type, deviceId: by?.deviceId, origin: by?.origin });
  }

  /** A new email address or phone number: the auth event, and a second later the new profile version. */
  changeContact(at: number, field: 'email' | 'phone', by?: Actor): void {
    this.auth(at, field === 'email' ? 'EMAIL_CHANGE' : 'PHONE_CHANGE', by);
    this.#add({ kind: 'contact-change', at: at + SECOND, field: field === 'email' ? 'emailFingerprint' : 'phoneFingerprint', fingerprint: newFingerprint(this.random) });
  }

  /** The account makes no ordinary payment and no login in [from, until): it is travelling, or its card is gone. */
  awayFromBaseline(from: number, until: number): void {
    this.#absences.push({ from, until });
  }

  get steps(): readonly Step[] {
    return this.#steps;
  }

  get drawn(): ReadonlyMap<string, readonly Value[]> {
    return this.#drawn;
  }

  get absences(): readonly Absence[] {
    return this.#absences;
  }

  /** The time of the last step (the start while there is none). */
  get end(): number {
    return this.#steps.reduce((last, step) => Math.max(last, step.at), this.start);
  }

  #parameter(name: string): Parameter {
    const parameter = this.#context.parameters[name];
    if (!parameter) throw new Error(`${this.#context.name} declares no parameter ${name}`);
    return parameter;
  }

  #record<V extends Value>(name: string, value: V): V {
    const parameter = this.#parameter(name);
    if (!allows(parameter, value)) throw new Error(`${this.#context.name}: ${name} = ${String(value)} is outside its declared range`);
    const values = this.#drawn.get(name);
    if (values) values.push(value);
    else this.#drawn.set(name, [value]);
    return value;
  }

  #add(step: Step): void {
    if (step.at < this.start) throw new Error(`${this.#context.name}: a step at ${step.at} comes before the instance starts at ${this.start}`);
    this.#steps.push(step);
  }
}
