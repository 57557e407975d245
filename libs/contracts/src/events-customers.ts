/**
 * Events of the customers service (customers, entitlements, packages). Add entries with
 * defineEvent(); they join the one EVENTS catalogue in events.ts.
 */
export const CUSTOMER_EVENTS = {} as const;
