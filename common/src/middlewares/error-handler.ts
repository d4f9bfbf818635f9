/**
 * The error middlewares every app registers last: known errors, body-parser failures and unknown
 * routes answer in the `{ errors: [...] }` shape; anything else is a logged 500 without a stack.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CustomError, type SerializedError } from '../errors';

/** Errors thrown by body-parser (Express's JSON parser) carry these fields. */
interface HttpParserError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
}

const parserMessages: Record<string, string> = {
  'entity.too.large': 'Request body is too large',
  'entity.parse.failed': 'Request body is not valid JSON',
  'encoding.unsupported': 'Unsupported request body encoding',
  'charset.unsupported': 'Unsupported request body charset',
  'request.aborted': 'Request was aborted',
};

function send(res: Parameters<ErrorRequestHandler>[2], status: number, errors: SerializedError[]) {
  res.status(status).json({ errors });
}

/** The one error middleware, registered last: every failure leaves as `{ errors: [...] }`, never a stack. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof CustomError) {
    send(res, err.statusCode, err.serializeErrors());
    return;
  }
  const parserError = err as HttpParserError;
  const status = parserError.status ?? parserError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && parserError.expose !== false) {
    const message = parserMessages[parserError.type ?? ''] ?? 'Bad request';
    send(res, status, [{ message }]);
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  send(res, 500, [{ message: 'Something went wrong' }]);
};

/** Unknown routes answer 404 in the same error shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  send(res, 404, [{ message: `Route not found: ${req.method} ${req.path}` }]);
};
