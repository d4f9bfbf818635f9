import { isAxiosError } from 'axios';
import type { ApiErrorItem } from './types';

/**
 * What went wrong with a request, in the words the services used: `{errors: [{message, field?}]}`
 * becomes messages per field (shown beside the input) and messages for the whole form.
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when no answer arrived. */
    readonly status: number,
    readonly errors: ApiErrorItem[],
    /** From a 429's `Retry-After` (seconds): how long until the service takes the request again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || `Request failed with status ${status}`);
    this.name = 'ApiError';
  }

  /** Messages for `field`, or for any of `aliases` (an API field the form shows under another name). */
  fieldMessages(field: string, ...aliases: string[]): string[] {
    const names = [field, ...aliases];
    return this.errors.filter((e) => e.field && names.includes(e.field)).map((e) => e.message);
  }
}

export interface FormErrors {
  /** Field name → its messages, for the fields the form has. */
  fields: Record<string, string[]>;
  /** Everything not about one of the form's fields. */
  form: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, form: [] };

function isErrorItem(value: unknown): value is ApiErrorItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.message === 'string' && (item.field === undefined || typeof item.field === 'string')
  );
}

/** Turns whatever a request threw into an ApiError, keeping the services' own messages. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isAxiosError(err)) {
    const response = err.response;
    if (!response) {
      return new ApiError(0, [{ message: 'Could not reach the server. Check your connection.' }]);
    }
    const body = response.data as { errors?: unknown } | undefined;
    const items = Array.isArray(body?.errors) ? body.errors.filter(isErrorItem) : [];
    const retryAfter = retryAfterSeconds(response.headers?.['retry-after']);
    return new ApiError(
      response.status,
      items.length > 0 ? items : [{ message: fallbackMessage(response.status) }],
      retryAfter,
    );
  }
  return new ApiError(0, [{ message: 'Something went wrong. Please try again.' }]);
}

/** `Retry-After: 120` → 120; the HTTP-date form and anything unreadable → undefined. */
function retryAfterSeconds(header: unknown): number | undefined {
  if (typeof header !== 'string' || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

/** 40 → "40 seconds", 61 → "2 minutes", 3600 → "60 minutes": when a refused request can be sent again. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please sign in first.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait and try again.';
  if (status >= 500) return 'The service is not available right now. Please try again.';
  return `Request failed (${status}).`;
}

/**
 * Splits an error's messages between the form's own fields and the form as a whole. `fieldMap` maps an
 * API field name to the form's input name when they differ (the payment API's `token` is the card
 * number the buyer typed).
 */
export function toFormErrors(
  err: unknown,
  formFields: readonly string[],
  fieldMap: Record<string, string> = {},
): FormErrors {
  const apiError = toApiError(err);
  const result: FormErrors = { fields: {}, form: [] };
  for (const { message, field } of apiError.errors) {
    const name = field ? (fieldMap[field] ?? field) : undefined;
    if (name && formFields.includes(name)) {
      (result.fields[name] ??= []).push(message);
    } else {
      result.form.push(message);
    }
  }
  // "Try again later" alone leaves the user guessing; the service said how long.
  if (apiError.status === 429 && apiError.retryAfterSeconds !== undefined) {
    result.form.push(`You can try again in ${describeWait(apiError.retryAfterSeconds)}.`);
  }
  return result;
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.form.length > 0 || Object.keys(errors.fields).length > 0;
}
