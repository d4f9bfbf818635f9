export interface SerializedError {
  message: string;
  field?: string;
}

/** Every error a client may see. The error middleware turns it into `{ errors: [...] }`. */
export abstract class CustomError extends Error {
  abstract readonly statusCode: number;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  abstract serializeErrors(): SerializedError[];
}
