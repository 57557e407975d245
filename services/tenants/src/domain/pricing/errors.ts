import { AppError } from '@ledgerline/contracts';

/**
 * Bad input to the pricing arithmetic (a malformed quantity, an unordered tier list, an event
 * without its metric's field). It is an AppError of kind `validation_error`, so a route that lets
 * it through answers 422 with `details: [{field, message}]` without mapping it; `field` names the
 * offending input for callers that want to rephrase it.
 */
export class PricingInputError extends AppError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('validation_error', `Invalid ${field}: ${message}`, {
      details: [{ field, message }],
    });
    this.name = 'PricingInputError';
    this.field = field;
  }
}
