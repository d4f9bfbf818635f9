/**
 * The errors a client may see, one class per case: 400 (a rule or a field), 401, 404, 429 and 503.
 */
import { CustomError, type SerializedError } from './custom-error';

/** A business rule or input the client can fix (400). */
export class BadRequestError extends CustomError {
  readonly statusCode = 400;
}

/** Field-level validation failures, all reported at once (400). */
export class RequestValidationError extends CustomError {
  readonly statusCode = 400;

  constructor(readonly errors: SerializedError[]) {
    super('Invalid request');
  }

  override serializeErrors(): SerializedError[] {
    return this.errors;
  }
}

/** The base of an error that answers one status, with a message a caller may replace. */
function statusError(statusCode: number, defaultMessage: string) {
  return class extends CustomError {
    readonly statusCode = statusCode;

    constructor(message = defaultMessage, field?: string) {
      super(message, field);
    }
  };
}

/** Not signed in, or signed in as someone who may not touch this resource (401). */
export class NotAuthorizedError extends statusError(401, 'Not authorized') {}

export class NotFoundError extends statusError(404, 'Not found') {}

export class TooManyRequestsError extends statusError(429, 'Too many attempts, try again later') {}

/** A dependency (database, event bus) is down; the request may succeed later (503). */
export class ServiceUnavailableError extends statusError(503, 'Service temporarily unavailable') {}
