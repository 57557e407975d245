/** Request and response schemas of the tenants service (seed 003; seed 001 subscriptions). */
export {};
