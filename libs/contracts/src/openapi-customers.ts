import type { RouteSpec } from './openapi-types';

/** The customers service's public routes (seed 002 CUSTOMERS, PACKAGE and UTILITY apps). */
export const CUSTOMER_ROUTES: RouteSpec[] = [];
