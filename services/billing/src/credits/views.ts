import { formatMinor } from '@ledgerline/contracts';
import type { Invoice } from '../store/invoices';
import type { CreditPackage } from './store/credit-packages';
import type { CreditPurchase } from './store/credit-purchases';
import type { CreditTransaction } from './store/credit-transactions';

const iso = (d: Date) => new Date(d).toISOString();

export function transactionView(tx: CreditTransaction) {
  return {
    id: tx._id,
    amount: tx.amount,
    transaction_type: tx.transaction_type,
    description: tx.description,
    created_at: iso(tx.created_at),
    balance_after: tx.balance_after,
    seq: tx.seq,
    operation_type: tx.operation_type,
    invoice_id: tx.invoice_id,
  };
}

/** A usage log is a deduction; cost_usd is its value in USD when the deduction was made. */
export function usageView(tx: CreditTransaction) {
  return {
    id: tx._id,
    operation_type: tx.operation_type ?? 'unspecified',
    credits_used: -tx.amount,
    cost_usd: formatMinor(tx.currency === 'USD' ? (tx.value_minor ?? 0) : 0, 'USD'),
    created_at: iso(tx.created_at),
    description: tx.description,
  };
}

export function packageView(pkg: CreditPackage) {
  return {
    id: pkg._id,
    name: pkg.name,
    credits: pkg.credits,
    price: formatMinor(pkg.price_minor, pkg.currency),
    currency: pkg.currency,
    is_active: pkg.is_active,
    created_at: iso(pkg.created_at),
    updated_at: iso(pkg.updated_at),
  };
}

/** Seed 000's invoice row (total_amount) plus what a tenant needs to pay it. */
export function platformInvoiceSummary(inv: Invoice) {
  const money = (minor: number) => formatMinor(minor, inv.currency);
  return {
    id: inv._id,
    invoice_number: inv.invoice_number,
    status: inv.status,
    currency: inv.currency,
    total_amount: money(inv.total_minor),
    total_paid_amount: money(inv.paid_minor),
    total_balance_due: money(inv.balance_due_minor),
    issue_date: inv.issue_date,
    remarks: inv.remarks,
    created_at: iso(inv.created_at),
  };
}

export function purchaseView(purchase: CreditPurchase, invoice: Invoice) {
  return {
    id: purchase._id,
    package_id: purchase.package_id,
    credits: purchase.credits,
    price: formatMinor(purchase.price_minor, purchase.currency),
    currency: purchase.currency,
    status: purchase.status,
    invoice_id: purchase.invoice_id,
    invoice: platformInvoiceSummary(invoice),
    created_at: iso(purchase.created_at),
  };
}
