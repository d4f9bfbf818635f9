/**
 * The base class of every error a client may see: its status code and the `{ errors: [...] }`
 * entries it serializes to.
 */
export interface SerializedError {
  message: string;
  field?: string;
}

/**
 * Every error a client may see. The error middleware turns it into `{ errors: [...] }`: by default one
 * entry, its message and (when the error names one) the field to show it beside.
 */
export abstract class CustomError extends Error {
  abstract readonly statusCode: number;

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  serializeErrors(): SerializedError[] {
    return [this.field ? { message: this.message, field: this.field } : { message: this.message }];
  }
}
