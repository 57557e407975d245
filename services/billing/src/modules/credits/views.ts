import { formatMinor } from '@ledgerline/contracts';
import type { CreditPackage } from './store/credit-packages';
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
