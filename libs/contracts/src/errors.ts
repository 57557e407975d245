/**
 * The closed set of error kinds every service answers with. The HTTP status lives here,
 * next to the kind, so that one handler (in the platform lib) maps them the same way everywhere.
 */
export const ERROR_KINDS = {
  bad_request: 400,
  /** Not enough prepaid credits for the operation (seed 000); nothing was deducted. */
  insufficient_credits: 402,
  unauthorized: 401,
  forbidden: 403,
  plan_limit_reached: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

/**
 * Finer causes of one kind, answered as `reason` beside `type` so a client can branch on them
 * (`code` stays the HTTP status, as BRIEF.md fixes it). Documented in the OpenAPI document.
 */
export const ERROR_REASONS = {
  duplicate: 'a unique value is taken (username or e-mail, subdomain, slug, customer number)',
  in_use:
    'other objects still use it (a plan with tenants, a KAM with customers, a package with entitlements)',
  invalid_state:
    'its state does not allow this (an issued invoice edited, a draft paid, a voided payment refunded)',
  balance_due: 'money is still owed on it',
  last_owner: 'a tenant keeps at least one owner',
  busy: 'another change holds it right now; retry shortly',
  changed: 'another request changed it meanwhile; retry',
  run_in_progress: 'a run of the same kind is still queued or running (details name it)',
} as const;

export type ErrorReason = keyof typeof ERROR_REASONS;

export interface ErrorDetail {
  field?: string;
  message: string;
  [extra: string]: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly details?: ErrorDetail[];
  /** Extra response headers, e.g. Retry-After for rate limits. */
  readonly headers?: Record<string, string>;
  readonly reason?: ErrorReason;

  constructor(
    kind: ErrorKind,
    message: string,
    opts: {
      details?: ErrorDetail[];
      headers?: Record<string, string>;
      cause?: unknown;
      reason?: ErrorReason;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.details = opts.details;
    this.headers = opts.headers;
    this.reason = opts.reason;
  }

  get status(): number {
    return ERROR_KINDS[this.kind];
  }

  static badRequest(message: string, details?: ErrorDetail[]): AppError {
    return new AppError('bad_request', message, { details });
  }
  static unauthorized(
    message = 'Authentication credentials were not provided or are invalid',
  ): AppError {
    return new AppError('unauthorized', message);
  }
  static forbidden(message = 'You do not have permission to perform this action'): AppError {
    return new AppError('forbidden', message);
  }
  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }
  static conflict(reason: ErrorReason, message: string, details?: ErrorDetail[]): AppError {
    return new AppError('conflict', message, { details, reason });
  }
  static validation(message: string, details?: ErrorDetail[]): AppError {
    return new AppError('validation_error', message, { details });
  }
  static unavailable(message: string): AppError {
    return new AppError('service_unavailable', message);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
