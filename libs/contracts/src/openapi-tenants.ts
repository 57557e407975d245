import type { RouteSpec } from './openapi-types';

/** The tenants service's public routes (seed 003, seed 001 subscriptions and profiles). */
export const TENANT_ROUTES: RouteSpec[] = [];
