/**
 * Events of the tenants service (tenants, plans, subscriptions, usage). Add entries with
 * defineEvent(); they join the one EVENTS catalogue in events.ts.
 */
export const TENANT_EVENTS = {} as const;
