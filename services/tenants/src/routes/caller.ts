/** Routes hand their use cases the shared request caller (identity, tenant, request ids). */
export { requestCaller as caller } from '@ledgerline/platform';
