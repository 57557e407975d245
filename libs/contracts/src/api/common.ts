import { z } from 'zod';

/** Ids are opaque strings; the seeds show integers, so a number is accepted and read as text. */
export const idInput = z
  .union([z.string().trim().min(1).max(64), z.number().int().nonnegative()])
  .transform(String);

export const dateInput = z.iso.date();

export const auditFields = {
  created_by: z.string().nullable(),
  updated_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
};
