import { AppError, PLATFORM_TENANT_ID } from '@ledgerline/contracts';
import type { CallerIdentity, CustomersClient, TenantSettingsClient } from '@ledgerline/platform';
import type { CreditNote, CustomerCopies, InvoiceViewSource } from '../../invoicing';
import { creditNoteDocument, creditNoteFileName } from '../domain/credit-note-document';
import {
  invoiceDocument,
  pdfFileName,
  settingsAddress,
  type Issuer,
  type Recipient,
} from '../domain/invoice-document';
import { renderPdf, type Logo } from '../render/pdf';

/**
 * An invoice's PDF, rendered on request and stored nowhere: the invoice from billing's store, the
 * issuer (name, address, tax id, logo) from its owner auth, the customer from its owner customers
 * (the name and address now; billing's copy only keeps the name). Both asks are behind a breaker
 * with a timeout: when one is away the request answers 503, never a PDF with a made-up party.
 */
export interface DocumentsDeps {
  invoices: { findViewById(tenantId: string, id: string): Promise<InvoiceViewSource | null> };
  creditNotes: { findById(tenantId: string, id: string): Promise<CreditNote | null> };
  /** Auth's internal settings read. */
  accounts: TenantSettingsClient;
  customers: Pick<CustomersClient, 'customer'>;
  /** Billing's copy of the customers: a customer deleted since still has its name printed. */
  copies: CustomerCopies;
}

export interface PdfFile {
  bytes: Buffer;
  filename: string;
}

async function issuerOf(
  deps: DocumentsDeps,
  tenantId: string,
  correlationId: string,
): Promise<{ issuer: Issuer; logo: Logo | null }> {
  const settings = await deps.accounts.settings(tenantId, correlationId, true);
  const issuer: Issuer = settings ?? {
    name: tenantId,
    billing_email: null,
    billing_address_line1: null,
    billing_address_line2: null,
    billing_city: null,
    billing_state: null,
    billing_postal_code: null,
    billing_country: null,
    tax_id: null,
  };
  const logo = settings?.logo ? { bytes: Buffer.from(settings.logo.base64, 'base64') } : null;
  return { issuer, logo };
}

/** A seed 002 invoice's customer: a customer of the tenant's (customers service). */
async function customerOf(
  deps: DocumentsDeps,
  tenantId: string,
  customerId: string | null,
  correlationId: string,
): Promise<Recipient> {
  if (!customerId) return { name: 'No customer named', address: [] };
  const current = await deps.customers.customer(tenantId, customerId, correlationId);
  if (current) {
    return {
      name: current.customer_name,
      address: current.address ? [current.address] : [],
      email: current.email,
    };
  }
  const copy = (await deps.copies.findCustomer(tenantId, customerId)) as { name?: string } | null;
  return { name: copy?.name ?? customerId, address: [] };
}

async function render(
  inv: InvoiceViewSource,
  issued: { issuer: Issuer; logo: Logo | null },
  recipient: Recipient,
): Promise<PdfFile> {
  const bytes = await renderPdf(invoiceDocument(inv, issued.issuer, recipient), issued.logo);
  return { bytes, filename: pdfFileName(inv) };
}

/** GET /api/bills/invoices/{id}/pdf: the caller tenant's invoice (another tenant's is a 404). */
export async function tenantInvoicePdf(
  deps: DocumentsDeps,
  caller: CallerIdentity,
  id: string,
): Promise<PdfFile> {
  // the issuer is the caller's tenant: asked while the invoice is read (one round trip less)
  const issuing = issuerOf(deps, caller.tenantId, caller.correlationId);
  issuing.catch(() => undefined); // awaited below, unless the invoice is a 404 first
  const inv = await deps.invoices.findViewById(caller.tenantId, id);
  if (!inv) throw AppError.notFound('Invoice');
  const [issued, recipient] = await Promise.all([
    issuing,
    customerOf(deps, caller.tenantId, inv.customer_id, caller.correlationId),
  ]);
  return render(inv, issued, recipient);
}

/**
 * The platform's invoice to a tenant (already checked to be the caller's): the platform tenant
 * issues it, the customer is the tenant, as its own account settings describe it.
 */
export async function platformInvoicePdf(
  deps: DocumentsDeps,
  inv: InvoiceViewSource,
  correlationId: string,
): Promise<PdfFile> {
  const customerTenant = inv.customer_id!;
  const [issued, account] = await Promise.all([
    issuerOf(deps, PLATFORM_TENANT_ID, correlationId),
    deps.accounts.settings(customerTenant, correlationId),
  ]);
  const recipient: Recipient = account
    ? {
        name: account.name,
        address: settingsAddress(account),
        tax_id: account.tax_id,
        email: account.billing_email,
      }
    : { name: customerTenant, address: [] };
  return render(inv, issued, recipient);
}

/** GET /api/bills/credit-notes/{id}/pdf: the caller tenant's credit note, as the invoice's is. */
export async function creditNotePdf(
  deps: DocumentsDeps,
  caller: CallerIdentity,
  id: string,
): Promise<PdfFile> {
  const note = await deps.creditNotes.findById(caller.tenantId, id);
  if (!note) throw AppError.notFound('Credit note');
  const [issued, recipient] = await Promise.all([
    issuerOf(deps, caller.tenantId, caller.correlationId),
    customerOf(deps, caller.tenantId, note.customer_id, caller.correlationId),
  ]);
  const bytes = await renderPdf(creditNoteDocument(note, issued.issuer, recipient), issued.logo);
  return { bytes, filename: creditNoteFileName(note) };
}
