/**
 * The credits module: prepaid credits (seed 000), their usage (balances and transactions:
 * use-cases/credit-usage.ts), credit packages and purchases, the monthly plan credits and the copy
 * of the plans' limits. The only file other modules and flows may import (eslint.config.mjs).
 */
export { creditsDeps, creditRoutes, startCreditsWorker, type CreditsDeps } from './wiring';
export { internalCreditRoutes } from './routes/internal';
export type { CreditCaller } from './use-cases/deps';
export { grantMonthlyCredits } from './use-cases/grants';
export type { CreditPurchase } from './store/credit-purchases';
