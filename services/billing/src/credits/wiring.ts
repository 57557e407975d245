import { Router } from 'express';
import type { ServiceContext } from '@ledgerline/platform';
import type { BillingConfig } from '../config';

/** Prepaid credits (seed 000). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CreditsDeps {}

export function creditsDeps(_ctx: ServiceContext, _config: BillingConfig): CreditsDeps {
  return {};
}

/** Mounted at the root behind authentication: full paths /v1/billing/... and /v1/account/usage/... */
export function creditRoutes(_deps: CreditsDeps): Router {
  return Router();
}

export async function startCreditsWorker(
  _ctx: ServiceContext,
  _config: BillingConfig,
): Promise<void> {}
