import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '@ledgerline/contracts';
import { zodDetails } from './errors';

function parse<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw AppError.validation(`Invalid ${where}`, zodDetails(result.error));
}

/** Routes stay thin: parse with a contracts schema, or answer 422 with every problem named. */
export function parseBody<S extends z.ZodType>(schema: S, req: { body?: unknown }): z.infer<S> {
  if (
    req.body === undefined ||
    req.body === null ||
    typeof req.body !== 'object' ||
    Array.isArray(req.body)
  ) {
    throw AppError.badRequest('Request body must be a JSON object');
  }
  return parse(schema, req.body, 'request body');
}

/**
 * An empty query parameter (`?page=&status=`, what HTML forms and many clients send for an unset
 * filter) counts as absent, so it neither filters nor fails validation.
 */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const present = Object.fromEntries(Object.entries(req.query).filter(([, value]) => value !== ''));
  return parse(schema, present, 'query parameters');
}
