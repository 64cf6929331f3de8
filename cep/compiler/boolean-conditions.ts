import type { Condition } from '../pattern';

/** Null stands for "always true" throughout the compiler, as on `Transition.condition`. */
export type MaybeCondition<E> = Condition<E> | null;

const never = (): boolean => false;

export function and<E>(a: MaybeCondition<E>, b: MaybeCondition<E>): MaybeCondition<E> {
  if (a === null) return b;
  if (b === null) return a;
  return (event, ctx) => a(event, ctx) && b(event, ctx);
}

export function not<E>(a: MaybeCondition<E>): Condition<E> {
  if (a === null) return never;
  return (event, ctx) => !a(event, ctx);
}
