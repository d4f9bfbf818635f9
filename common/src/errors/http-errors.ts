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

/** Not signed in, or signed in as someone who may not touch this resource (401). */
export class NotAuthorizedError extends CustomError {
  readonly statusCode = 401;

  constructor(message = 'Not authorized') {
    super(message);
  }
}

export class NotFoundError extends CustomError {
  readonly statusCode = 404;

  constructor(message = 'Not found') {
    super(message);
  }
}

export class TooManyRequestsError extends CustomError {
  readonly statusCode = 429;

  constructor(message = 'Too many attempts, try again later') {
    super(message);
  }
}

/** A dependency (database, event bus) is down; the request may succeed later (503). */
export class ServiceUnavailableError extends CustomError {
  readonly statusCode = 503;

  constructor(message = 'Service temporarily unavailable') {
    super(message);
  }
}
