/**
 * The ledger module: the double-entry books (seed 001 billing: transactions, balance), the cart,
 * the metrics tables, and the customer and plan copies its worker keeps. The only file other
 * modules and flows may import (eslint.config.mjs).
 */
export { customerCopies, ledgerDeps, ledgerRoutes, startLedgerWorker } from './wiring';
export type { LedgerCaller, LedgerDeps } from './use-cases/deps';
export { price, type PricedItem } from './use-cases/cart';
export { cartLockKey, type Cart } from './store/carts';
export type { PlanRecord } from './store/projections';
