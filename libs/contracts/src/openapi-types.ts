import { z } from 'zod';

export type { RouteSpec } from './route';

/** The date window a history answer covers. */
export const historyWindow = { start_date: z.string().nullable(), end_date: z.string().nullable() };
