import type { RequestHandler } from 'express';
import { validationResult } from 'express-validator';
import { RequestValidationError } from '../errors';

/** Runs after express-validator chains: any failure becomes a 400 with one entry per field. */
export const validateRequest: RequestHandler = (req, _res, next) => {
  const result = validationResult(req);
  if (!result.isEmpty()) {
    const errors = result
      .array({ onlyFirstError: true })
      .map((e) =>
        e.type === 'field' ? { message: String(e.msg), field: e.path } : { message: String(e.msg) },
      );
    throw new RequestValidationError(errors);
  }
  next();
};

/** A JSON body must be an object: `[]`, `"x"` or `null` are refused before any field is read. */
export const requireJsonObject: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new RequestValidationError([{ message: 'Request body must be a JSON object' }]);
  }
  next();
};
