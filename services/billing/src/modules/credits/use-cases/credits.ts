import type { ConsumeCreditsRequest, ListQuery } from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { usageAnalytics, windowStart } from '../domain/analytics';
import { balanceSummary, type CreditTransactionType } from '../domain/credit-math';
import { TRANSACTION_SEARCH, USAGE_SEARCH } from '../store/credit-transactions';
import { currentAccount, recordCreditChange } from './credit-usage';
import type { CreditCaller, CreditsUseCaseDeps } from './deps';

export async function creditBalance(deps: CreditsUseCaseDeps, caller: CreditCaller) {
  const [account, perMonth] = await Promise.all([
    currentAccount(deps.usage, caller.tenantId),
    deps.planCredits.perMonth(caller.tenantId),
  ]);
  return balanceSummary(account, perMonth, new Date());
}

/**
 * Deducts credits for one operation; 402 insufficient_credits when the balance is short. With the
 * request's Idempotency-Key the deduction is keyed by it, so a retry after an answer that was lost
 * (a 503 after the deduction was written, which releases the HTTP key) answers the same deduction
 * instead of taking the credits twice.
 */
export async function consumeCredits(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  req: ConsumeCreditsRequest,
  idempotencyKey?: string,
) {
  const { transaction, account } = await recordCreditChange(deps.usage, {
    tenantId: caller.tenantId,
    transactionType: 'deduction',
    amount: -req.credits,
    description: req.description ?? req.operation_type,
    // without a key every request is its own operation
    idemKey: idempotencyKey ? `usage:${idempotencyKey}` : newId('use'),
    idemKeyIsFresh: !idempotencyKey,
    operationType: req.operation_type,
    createdBy: caller.userId,
    correlationId: caller.correlationId,
  });
  const perMonth = await deps.planCredits.perMonth(caller.tenantId);
  return { transaction, balance: balanceSummary(account, perMonth, new Date()) };
}

/** `grant,purchase`: the route spec has checked every name. */
function transactionTypes(raw: string | undefined): CreditTransactionType[] | undefined {
  return raw?.split(',').map((t) => t.trim() as CreditTransactionType);
}

export async function listTransactions(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  query: ListQuery,
) {
  return deps.usage.transactions.list(
    caller.tenantId,
    {
      types: transactionTypes(query.filters.transaction_type),
      from: query.startDate,
      to: query.endDate,
      search: { query, fields: TRANSACTION_SEARCH },
    },
    query,
  );
}

/** Usage logs are the deductions. */
export async function listUsage(deps: CreditsUseCaseDeps, caller: CreditCaller, query: ListQuery) {
  return deps.usage.transactions.list(
    caller.tenantId,
    {
      types: ['deduction'],
      from: query.startDate,
      to: query.endDate,
      search: { query, fields: USAGE_SEARCH },
    },
    query,
  );
}

export async function creditAnalytics(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  days: number,
) {
  const now = new Date();
  const [account, transactions] = await Promise.all([
    currentAccount(deps.usage, caller.tenantId),
    deps.usage.transactions.inWindow(caller.tenantId, windowStart(days, now)),
  ]);
  return usageAnalytics(transactions, days, now, account.balance);
}
