// Base of Peregrine's own errors. Callers branch on `code` (stable, machine-readable) and on
// `retriable` (try the same input again later, or route it to a dead letter), never on message text.

export abstract class PeregrineError<Code extends string = string> extends Error {
  abstract readonly retriable: boolean;

  protected constructor(
    readonly code: Code,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
