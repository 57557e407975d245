import type { AggregateWriter, CallerIdentity, RequestCaller } from '@ledgerline/platform';
import type { CreditPackageStore } from '../store/credit-packages';
import type { CreditPurchaseStore } from '../store/credit-purchases';
import type { PlanCredits } from '../store/plan-credits';
import type { CreditUsageDeps } from './credit-usage';

export type CreditCaller = CallerIdentity & Pick<RequestCaller, 'platformAdmin'>;

/** Everything the credit use cases need, built once per process (wiring.ts). */
export interface CreditsUseCaseDeps {
  usage: CreditUsageDeps;
  planCredits: PlanCredits;
  packages: CreditPackageStore;
  purchases: CreditPurchaseStore;
  /** Changes a credit package (the process's one writer, shared with invoicing). */
  aggregates: AggregateWriter;
}
