/**
 * Field rules the services' schemas share: prices in dollars (and in cents), listing titles, entity
 * ids in bodies and paths.
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { RequestHandler } from 'express';

/** Prices are dollars: at least 0.50 (Stripe's smallest charge), at most 1,000,000, at most 2 decimals. */
export const PRICE_MIN = 0.5;
export const PRICE_MAX = 1_000_000;

export function isValidPrice(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= PRICE_MIN &&
    value <= PRICE_MAX &&
    Math.abs(Math.round(value * 100) - value * 100) < 1e-6
  );
}

/** Dollars → integer cents, free of binary rounding (19.99 → 1999). */
export function toCents(price: number): number {
  return Math.round(price * 100);
}

/** A JSON number only: `"12"` or `"abc"` are refused, as are 0, -5 and 19.999. */
export const priceField = z.custom<number>(isValidPrice, {
  message: `Price must be a number from ${PRICE_MIN.toFixed(2)} to ${PRICE_MAX.toLocaleString('en-US')} with at most 2 decimals`,
});

const TITLE_LENGTH = 'Title must be 1 to 200 characters';
/** Trimmed; what is stored is what was checked. */
export const titleField = z
  .string({ error: 'Title is required' })
  .trim()
  .min(1, TITLE_LENGTH)
  .max(200, TITLE_LENGTH);

export function isObjectId(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value) && mongoose.isValidObjectId(value)
  );
}

/** A body field that must name an entity by id: a malformed id is a 400 on that field. */
export const objectIdField = (name: string) =>
  z.custom<string>(isObjectId, { message: `${name} must be a valid id` });

/** A malformed id in the path cannot name anything: answer 404, as for an unknown id. */
export function requireObjectIdParam(name = 'id', what = 'Resource'): RequestHandler {
  return (req, _res, next) => {
    if (!isObjectId(req.params[name])) throw new NotFoundError(`${what} not found`);
    next();
  };
}
