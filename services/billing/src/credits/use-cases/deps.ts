import type { InvoicingDeps } from '../../use-cases/invoices';
import type { PlanCredits } from '../store/plan-credits';
import type { CreditPackageStore } from '../store/credit-packages';
import type { CreditPurchaseStore } from '../store/credit-purchases';
import type { CreditLedgerDeps } from './ledger';
import type { CallerIdentity, RequestCaller } from '@ledgerline/platform';

export type CreditCaller = CallerIdentity & Pick<RequestCaller, 'platformAdmin'>;

/** Everything the credit use cases need, built once per process (wiring.ts). */
export interface CreditsUseCaseDeps {
  ledger: CreditLedgerDeps;
  planCredits: PlanCredits;
  packages: CreditPackageStore;
  purchases: CreditPurchaseStore;
  /** The invoice engine: the platform's invoices to tenants are ordinary invoices. */
  invoicing: InvoicingDeps;
}
