import { Router } from 'express';
import type { ServiceContext } from '@ledgerline/platform';
import type { BillingConfig } from '../config';

/** The double-entry ledger and seed 001's billing and metrics endpoints. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LedgerDeps {}

export function ledgerDeps(_ctx: ServiceContext, _config: BillingConfig): LedgerDeps {
  return {};
}

/** Mounted at the root behind authentication: full paths /api/billing/..., /api/cart, /api/metrics/... */
export function ledgerRoutes(_deps: LedgerDeps): Router {
  return Router();
}

export async function startLedgerWorker(
  _ctx: ServiceContext,
  _config: BillingConfig,
): Promise<void> {}
