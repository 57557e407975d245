import { z } from 'zod';
import {
  ERROR_KINDS,
  ERROR_REASONS,
  type ErrorDetail,
  type ErrorKind,
  type ErrorReason,
} from './errors';
import { component, componentName } from './component';

export interface SuccessEnvelope<T> {
  success: true;
  data: T;
  message?: string;
}

export interface ErrorEnvelope {
  success: false;
  error: string;
  code: number;
  type: ErrorKind;
  /** A finer cause within `type` (ERROR_REASONS), when there is one. */
  reason?: ErrorReason;
  details?: ErrorDetail[];
  request_id: string;
}

export function ok<T>(data: T, message?: string): SuccessEnvelope<T> {
  return message === undefined ? { success: true, data } : { success: true, data, message };
}

export function errorEnvelope(
  kind: ErrorKind,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
  reason?: ErrorReason,
): ErrorEnvelope {
  const body: ErrorEnvelope = {
    success: false,
    error: message,
    code: ERROR_KINDS[kind],
    type: kind,
    request_id: requestId,
  };
  if (reason) body.reason = reason;
  if (details && details.length > 0) body.details = details;
  return body;
}

export interface Page<T> {
  results: T[];
  count: number;
  page: number;
  per_page: number;
}

export const errorEnvelopeSchema = component(
  'Error',
  z.object({
    success: z.literal(false),
    error: z.string(),
    code: z.number().int(),
    type: z.enum(Object.keys(ERROR_KINDS) as [ErrorKind, ...ErrorKind[]]),
    reason: z
      .enum(Object.keys(ERROR_REASONS) as [ErrorReason, ...ErrorReason[]])
      .optional()
      .describe(
        Object.entries(ERROR_REASONS)
          .map(([name, meaning]) => `${name}: ${meaning}`)
          .join('; '),
      ),
    details: z
      .array(z.object({ field: z.string().optional(), message: z.string() }).loose())
      .optional(),
    request_id: z.string(),
  }),
);

export function successEnvelopeSchema<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, message: z.string().optional() });
}

const pages = new WeakMap<z.ZodType, z.ZodType>();

/** One page of a list; of a named item, itself a component (`InvoicePage` of `Invoice`), made once. */
export function pageSchema<T extends z.ZodType>(item: T) {
  const made = pages.get(item) as ReturnType<typeof pageOf<T>> | undefined;
  if (made) return made;
  const name = componentName(item);
  const page = name ? component(`${name}Page`, pageOf(item)) : pageOf(item);
  pages.set(item, page);
  return page;
}

function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    results: z.array(item),
    count: z.number().int(),
    page: z.number().int(),
    per_page: z.number().int(),
  });
}
