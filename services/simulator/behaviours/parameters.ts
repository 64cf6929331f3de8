// The parameters of a behaviour, declared as the ranges a fraud team would describe ("2 to 15 probes
// of 0.50 to 5.00 over 1 to 30 minutes"). A story draws every value through its declaration, and
// records it, so that a test can hold each instance to the declared ranges.
import type { Random } from '../random';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Bounded<Kind extends string> {
  readonly kind: Kind;
  readonly min: number;
  readonly max: number;
}

/** Uniform integer, both bounds included: counts, and amounts in minor units. */
export type IntegerParameter = Bounded<'integer'>;
/** Uniform real number: speeds, shares. */
export type RealParameter = Bounded<'real'>;
/** Log-uniform milliseconds: "minutes to hours" is as likely a few minutes as a few hours. */
export type DurationParameter = Bounded<'duration'>;
/** Not drawn but found (the distance to a city picked from a list); the range is what it must lie in. */
export type ObservedParameter = Bounded<'observed'>;

export interface ChoiceParameter<Option extends string = string> {
  readonly kind: 'choice';
  /** Relative weights of the options. */
  readonly weights: Readonly<Record<Option, number>>;
}

export interface ChanceParameter {
  readonly kind: 'chance';
  readonly probability: number;
}

export type Parameter = IntegerParameter | RealParameter | DurationParameter | ObservedParameter | ChoiceParameter | ChanceParameter;
export type Parameters = Readonly<Record<string, Parameter>>;
export type Value = number | string | boolean;

export const integer = (min: number, max: number): IntegerParameter => ({ kind: 'integer', min, max });
export const real = (min: number, max: number): RealParameter => ({ kind: 'real', min, max });
export const duration = (min: number, max: number): DurationParameter => ({ kind: 'duration', min, max });
export const observed = (min: number, max: number): ObservedParameter => ({ kind: 'observed', min, max });
export const chance = (probability: number): ChanceParameter => ({ kind: 'chance', probability });
export const choice = <Option extends string>(weights: Record<Option, number>): ChoiceParameter<Option> => ({ kind: 'choice', weights });

/** An amount in the account's currency, written in major units (0.5 is 0.50) and kept in minor units. */
export const money = (min: number, max: number): IntegerParameter => integer(Math.round(min * 100), Math.round(max * 100));

export type DrawnName<P extends Parameters> = { [K in keyof P]: P[K] extends IntegerParameter | RealParameter | DurationParameter ? K : never }[keyof P] & string;
export type ObservedName<P extends Parameters> = { [K in keyof P]: P[K] extends ObservedParameter ? K : never }[keyof P] & string;
export type ChoiceName<P extends Parameters> = { [K in keyof P]: P[K] extends ChoiceParameter ? K : never }[keyof P] & string;
export type ChanceName<P extends Parameters> = { [K in keyof P]: P[K] extends ChanceParameter ? K : never }[keyof P] & string;
export type OptionOf<C> = C extends ChoiceParameter<infer Option> ? Option : never;

export function drawNumber(random: Random, parameter: IntegerParameter | RealParameter | DurationParameter): number {
  switch (parameter.kind) {
    case 'integer':
      return random.int(parameter.min, parameter.max);
    case 'real':
      return random.uniform(parameter.min, parameter.max);
    case 'duration':
      return Math.round(random.logUniform(parameter.min, parameter.max));
  }
}

/** Whether a recorded value is one the declaration allows. */
export function allows(parameter: Parameter, value: Value): boolean {
  switch (parameter.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= parameter.min && value <= parameter.max;
    case 'real':
    case 'duration':
    case 'observed':
      return typeof value === 'number' && value >= parameter.min && value <= parameter.max;
    case 'choice':
      return typeof value === 'string' && Object.hasOwn(parameter.weights, value);
    case 'chance':
      return typeof value === 'boolean';
  }
}
