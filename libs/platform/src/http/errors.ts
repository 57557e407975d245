import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, errorEnvelope, type ErrorDetail } from '@ledgerline/contracts';
import { isUnavailableError } from '../dependency-errors';
import type { Logger } from '../logger';

export function zodDetails(error: ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || undefined,
    message: issue.message,
  }));
}

/** Turns anything thrown into an AppError; unknown errors become a bare internal_error. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return AppError.validation('Validation failed', zodDetails(err));
  const http = err as { type?: string; status?: number; expose?: boolean };
  // body-parser's errors carry a type; they are the client's fault, never ours
  if (http.type === 'entity.parse.failed')
    return AppError.badRequest('Malformed JSON in request body');
  if (http.type === 'entity.too.large')
    return new AppError('payload_too_large', 'Request body is too large');
  if (http.type === 'charset.unsupported' || http.type === 'encoding.unsupported') {
    return new AppError('unsupported_media_type', 'Unsupported request body encoding');
  }
  if (http.expose && http.status && http.status >= 400 && http.status < 500) {
    return AppError.badRequest('Bad request');
  }
  if (isUnavailableError(err))
    return AppError.unavailable('A dependency is unavailable, try again shortly');
  return new AppError('internal_error', 'Internal server error', { cause: err });
}

function envelopeOf(appError: AppError, requestId: unknown) {
  const { kind, message, details, reason } = appError;
  return errorEnvelope(kind, message, String(requestId ?? ''), details, reason);
}

/** The one place where errors become HTTP responses. A 500 says nothing internal. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  if (appError.status >= 500) {
    req.log?.error({ err: appError.cause ?? err, kind: appError.kind }, 'request failed');
  }
  if (appError.headers) res.set(appError.headers);
  res.status(appError.status).json(envelopeOf(appError, req.id));
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
};

/**
 * The same answer as `errorHandler`, for a plain node response (the gateway's proxied path, which
 * never enters express): same status, headers and envelope.
 */
export function writeError(
  req: IncomingMessage,
  res: ServerResponse,
  err: unknown,
  logger: Logger,
): void {
  const appError = toAppError(err);
  if (appError.status >= 500) {
    logger.error(
      {
        err: appError.cause ?? err,
        kind: appError.kind,
        req: { id: req.id, method: req.method, url: req.url },
      },
      'request failed',
    );
  }
  if (res.headersSent) {
    res.destroy(); // an answer already on its way cannot be replaced: cut it, as express does
    return;
  }
  if (appError.headers)
    for (const [name, value] of Object.entries(appError.headers)) res.setHeader(name, value);
  const body = JSON.stringify(envelopeOf(appError, req.id));
  res.statusCode = appError.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
