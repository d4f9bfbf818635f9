/**
 * Errors a client may see: the CustomError base and its subclasses per HTTP status.
 */
export * from './custom-error';
export * from './http-errors';
