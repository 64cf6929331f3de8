import { CepError, CepErrorCode } from '../errors';

/** Thrown while a pattern is built or compiled; the message names the offending construct. */
export class MalformedPatternError extends CepError {
  constructor(message: string, context: Readonly<Record<string, unknown>> = {}) {
    super(CepErrorCode.MalformedPattern, message, { context });
  }
}
