import { httpCustomersClient, httpTenantSettingsClient } from '@ledgerline/platform';
import type { BillingConfig } from '../../config';
import type { CustomerCopies, InvoicingDeps } from '../invoicing';
import { documentFonts } from './render/fonts';
import type { DocumentsDeps } from './use-cases/invoice-pdf';

/** What rendering documents needs: the invoices, and the two owners of the parties it prints. */
export function documentsDeps(
  config: BillingConfig,
  invoicing: Pick<InvoicingDeps, 'invoices' | 'creditNotes'>,
  copies: CustomerCopies,
): DocumentsDeps {
  // the fonts read and parsed at start (half a second), not in the first client's request
  documentFonts();
  return {
    invoices: invoicing.invoices,
    creditNotes: invoicing.creditNotes,
    accounts: httpTenantSettingsClient({ baseUrl: config.AUTH_URL, timeoutMs: 3000 }),
    customers: httpCustomersClient({ baseUrl: config.CUSTOMERS_URL, timeoutMs: 3000 }),
    copies,
  };
}
