import type { ListQuery } from '@ledgerline/contracts';
import type { LedgerCaller, LedgerDeps } from './deps';

export async function listTransactions(deps: LedgerDeps, caller: LedgerCaller, query: ListQuery) {
  return deps.entries.list(caller.tenantId, query);
}
