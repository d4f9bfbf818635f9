/**
 * Request validation with zod: a route's body and query schemas, each field's first problem
 * reported in a 400, and the check that a JSON body is an object.
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { RequestValidationError, type SerializedError } from '../errors';

/**
 * A route's body schema (zod, as for queries, config and events). Every field's first problem is reported at once,
 * in the contract's shape (`{message, field}`); on success the parsed values (trimmed, lower-cased…)
 * replace the body, so the handler reads exactly what was checked.
 */
export function validateBody(schema: z.ZodType): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req.body ?? {});
    if (!result.success) throw new RequestValidationError(firstProblemPerField(result.error));
    req.body = result.data;
    next();
  };
}

/**
 * A route's query-string schema: the parsed values, or a 400 naming every field's first problem. Express 5
 * makes `req.query` read-only, so the handler uses what this returns.
 */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new RequestValidationError(firstProblemPerField(result.error));
  return result.data;
}

function firstProblemPerField(error: z.ZodError): SerializedError[] {
  const seen = new Set<string>();
  const problems: SerializedError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push(field ? { message: issue.message, field } : { message: issue.message });
  }
  return problems;
}

/** A JSON body must be an object: `[]`, `"x"` or `null` are refused before any field is read. */
export const requireJsonObject: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new RequestValidationError([{ message: 'Request body must be a JSON object' }]);
  }
  next();
};
