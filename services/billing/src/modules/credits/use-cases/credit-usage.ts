import { AppError, buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import {
  isDuplicateKeyError,
  newId,
  type AggregateLocks,
  type PublishSoon,
} from '@ledgerline/platform';
import {
  applyChange,
  creditValueMinor,
  DEFAULT_UNIT_PRICE,
  type CreditAccountState,
  type CreditTransactionType,
  type UnitPrice,
} from '../domain/credit-math';
import type { CreditAccount, CreditAccountStore } from '../store/credit-accounts';
import type { CreditTransaction, CreditTransactionStore } from '../store/credit-transactions';

export interface CreditUsageDeps {
  accounts: CreditAccountStore;
  transactions: CreditTransactionStore;
  /** Locks that wait long: a burst of consumptions of one tenant queues on one lock. */
  creditLocks: AggregateLocks;
  publishSoon: PublishSoon;
}

export interface CreditChangeInput {
  tenantId: string;
  transactionType: CreditTransactionType;
  /** Signed: negative for deductions. */
  amount: number;
  description: string;
  /** Unique per tenant: the same key never changes the balance twice. */
  idemKey: string;
  /** The key was just generated (a consumption): skip looking it up first. */
  idemKeyIsFresh?: boolean;
  operationType?: string | null;
  /** The price paid, for purchases (a deduction's value is computed from the account). */
  value?: { minor: number; currency: string } | null;
  invoiceId?: string | null;
  createdBy?: string | null;
  correlationId?: string;
}

export interface CreditChangeResult {
  transaction: CreditTransaction;
  account: CreditAccount;
  /** True when the idempotency key had already been applied: nothing changed now. */
  duplicate: boolean;
}

export const creditLockKey = (tenantId: string) => `credits:${tenantId}`;

/** A purchase in USD sets the price usage is valued at from then on. */
function unitPriceAfter(account: CreditAccount, tx: CreditTransaction): UnitPrice | null {
  if (tx.transaction_type === 'purchase' && tx.currency === 'USD' && tx.value_minor !== null) {
    return { price_minor: tx.value_minor, credits: tx.amount, currency: 'USD' };
  }
  return account.unit_price;
}

function stateAfter(account: CreditAccount, tx: CreditTransaction): CreditAccountState {
  const next = applyChange(account, tx, new Date(tx.created_at));
  if (!next || next.balance !== tx.balance_after || next.seq !== tx.seq) {
    throw new Error(
      `credit transaction ${tx._id} does not follow account ${account._id} at seq ${account.seq}`,
    );
  }
  return next;
}

/**
 * The account with every transaction already written applied to it. A transaction is written
 * before the account is advanced, so a crash in between leaves the account one step behind: this
 * rolls it forward from the transactions themselves (call under the tenant's credit lock).
 */
async function caughtUp(deps: CreditUsageDeps, tenantId: string): Promise<CreditAccount> {
  let account = await deps.accounts.findOrCreate(tenantId);
  for (const tx of await deps.transactions.after(tenantId, account.seq)) {
    const unit = unitPriceAfter(account, tx);
    await deps.accounts.advance(tenantId, account.version, {
      ...stateAfter(account, tx),
      ...(unit && { unit_price: unit }),
    });
    account = (await deps.accounts.find(tenantId)) as CreditAccount;
  }
  return account;
}

function recordedEvent(tx: CreditTransaction, correlationId?: string): EventEnvelope {
  return buildEvent('CreditTransactionRecorded', {
    tenant_id: tx.tenant_id,
    correlation_id: correlationId,
    data: {
      transaction_id: tx._id,
      tenant_id: tx.tenant_id,
      transaction_type: tx.transaction_type,
      amount: tx.amount,
      balance_after: tx.balance_after,
      seq: tx.seq,
      description: tx.description,
      operation_type: tx.operation_type,
      value_minor: tx.value_minor,
      currency: tx.currency,
      invoice_id: tx.invoice_id,
    },
  });
}

function insufficient(needed: number, balance: number): AppError {
  return new AppError(
    'insufficient_credits',
    `Not enough credits: the operation needs ${needed} and the balance is ${balance}`,
    { details: [{ field: 'credits', message: `exceeds the balance of ${balance}`, balance }] },
  );
}

interface Queued {
  input: CreditChangeInput;
  resolve: (result: CreditChangeResult) => void;
  reject: (err: unknown) => void;
}

/** Changes waiting for their tenant's current batch to finish, per tenant, in this process. */
const queuesOf = new WeakMap<CreditUsageDeps, Map<string, Queued[]>>();

function queuesFor(deps: CreditUsageDeps): Map<string, Queued[]> {
  let queues = queuesOf.get(deps);
  if (!queues) {
    queues = new Map();
    queuesOf.set(deps, queues);
  }
  return queues;
}

/**
 * The one way a credit balance changes, exactly once and never below zero.
 *
 * Under the tenant's credit lock (Redis; FerretDB updates are read-then-write), each change is
 * written as its own document in the slot seq = account.seq + 1 — unique (tenant_id, seq) and
 * unique (tenant_id, idem_key), both enforced atomically by the insert — together with its
 * CreditTransactionRecorded event in the document's outbox; the account document is advanced
 * after the transactions, conditional on its version. If a crash left the account behind written
 * transactions, the next insert finds its slot taken and the account is rolled forward from the
 * transactions before the change is retried (as invoice numbering does). So each slot holds at
 * most one transaction, every balance_after follows its predecessor, and a redelivered grant finds
 * its key used.
 *
 * Group commit: changes of one tenant arriving while a batch is being written wait in memory and
 * are written together in the next batch (one lock, one account read and one account write for
 * all of them), so a burst of consumptions is not serialised on lock hand-offs.
 */
export function recordCreditChange(
  deps: CreditUsageDeps,
  input: CreditChangeInput,
): Promise<CreditChangeResult> {
  const queues = queuesFor(deps);
  return new Promise((resolve, reject) => {
    const queue = queues.get(input.tenantId);
    if (queue) {
      queue.push({ input, resolve, reject });
      return;
    }
    queues.set(input.tenantId, [{ input, resolve, reject }]);
    void drain(deps, input.tenantId);
  });
}

/** Writes the tenant's queued changes batch after batch until none is left. */
async function drain(deps: CreditUsageDeps, tenantId: string): Promise<void> {
  const queues = queuesFor(deps);
  for (;;) {
    const batch = queues.get(tenantId) ?? [];
    if (batch.length === 0) {
      queues.delete(tenantId);
      return;
    }
    queues.set(tenantId, []);
    try {
      await deps.creditLocks.withLock(creditLockKey(tenantId), () =>
        writeBatch(deps, tenantId, batch),
      );
    } catch (err) {
      // the lock or the database failed: every change of the batch not yet answered fails
      for (const item of batch) item.reject(err);
    }
  }
}

interface Planned {
  item: Queued;
  tx: CreditTransaction;
  account: CreditAccount;
}

/**
 * Writes one batch: plans every change on top of the previous one, inserts the planned
 * transactions in order in one write, then advances the account once. If an insert finds its slot
 * or key taken, the account is rolled forward from what is written and the changes not yet
 * written are planned again.
 */
async function writeBatch(deps: CreditUsageDeps, tenantId: string, batch: Queued[]) {
  let account = await deps.accounts.findOrCreate(tenantId);
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 3) throw new Error(`credit account ${tenantId} keeps changing under its lock`);
    const { planned, behind } = await plan(deps, account, pending);
    if (behind) {
      account = await caughtUp(deps, tenantId);
      continue;
    }
    const rows = planned.map(({ item, tx }) => ({
      tx,
      events: [recordedEvent(tx, item.input.correlationId)],
    }));
    // the relay publishes exactly these, by id (a wake-up without ids scans every collection);
    // with their outboxes only when all were inserted (a refused insert leaves just a prefix)
    const ids = rows.map((r) => r.tx._id);
    const born = {
      collection: deps.transactions.model.collection.name,
      outboxes: new Map(rows.map((r) => [r.tx._id, r.events])),
    };
    try {
      await deps.transactions.insertInOrder(rows);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // the ones before the refused insert are written: settle them, plan the rest again
      account = await caughtUp(deps, tenantId);
      const rest: Queued[] = [];
      for (const { item, tx } of planned) {
        const used = await deps.transactions.findByIdemKey(tenantId, item.input.idemKey);
        if (used) item.resolve({ transaction: used, account, duplicate: used._id !== tx._id });
        else rest.push(item);
      }
      // the prefix that was inserted: its ids are found, the others' are not (nothing to send)
      deps.publishSoon(ids);
      pending = rest;
      continue;
    }
    const last = planned.at(-1);
    if (last) {
      deps.publishSoon(ids, born);
      const { balance, seq, usage_month, month_used, unit_price } = last.account;
      // if this fails, the next change (or read) of this tenant rolls the account forward
      await deps.accounts.advance(tenantId, account.version, {
        balance,
        seq,
        usage_month,
        month_used,
        ...(unit_price && { unit_price }),
      });
    }
    for (const { item, tx, account: after } of planned) {
      item.resolve({ transaction: tx, account: after, duplicate: false });
    }
    return;
  }
}

/**
 * Each change on top of the one before it. Answers duplicates and refusals at once; `behind` when
 * a refusal might come from an account a crash left behind its transactions.
 */
async function plan(
  deps: CreditUsageDeps,
  account: CreditAccount,
  pending: Queued[],
): Promise<{ planned: Planned[]; behind: boolean }> {
  const planned: Planned[] = [];
  const answers: (() => void)[] = [];
  let state = account;
  let checkedBehind = false;
  for (const item of pending) {
    const { input } = item;
    // a deterministic key (grant, purchase) may have been used already; a fresh one cannot have
    if (!input.idemKeyIsFresh) {
      const existing = await deps.transactions.findByIdemKey(account.tenant_id, input.idemKey);
      const inBatch = planned.some((p) => p.tx.idem_key === input.idemKey);
      if (existing || inBatch) {
        const first = existing ?? planned.find((p) => p.tx.idem_key === input.idemKey)?.tx;
        answers.push(() =>
          item.resolve({
            transaction: first as CreditTransaction,
            account: state,
            duplicate: true,
          }),
        );
        continue;
      }
    }
    const now = new Date();
    const next = applyChange(
      state,
      { transaction_type: input.transactionType, amount: input.amount },
      now,
    );
    if (!next) {
      // refuse only on the account as of every written transaction
      if (!checkedBehind) {
        checkedBehind = true;
        if ((await deps.transactions.after(account.tenant_id, account.seq)).length > 0) {
          return { planned: [], behind: true };
        }
      }
      const balance = state.balance;
      answers.push(() => item.reject(insufficient(-input.amount, balance)));
      continue;
    }
    const isDeduction = input.transactionType === 'deduction';
    const unit = state.unit_price ?? DEFAULT_UNIT_PRICE;
    const tx: CreditTransaction = {
      _id: newId('ctx'),
      tenant_id: account.tenant_id,
      seq: next.seq,
      idem_key: input.idemKey,
      transaction_type: input.transactionType,
      amount: input.amount,
      balance_after: next.balance,
      description: input.description,
      operation_type: input.operationType ?? null,
      value_minor: isDeduction
        ? creditValueMinor(-input.amount, unit)
        : (input.value?.minor ?? null),
      currency: isDeduction ? unit.currency : (input.value?.currency ?? null),
      invoice_id: input.invoiceId ?? null,
      created_by: input.createdBy ?? null,
      created_at: now,
    };
    state = { ...state, ...next, unit_price: unitPriceAfter(state, tx) };
    planned.push({ item, tx, account: state });
  }
  for (const answer of answers) answer();
  return { planned, behind: false };
}

/** The account as of every transaction written (reads repair a lagging account too). */
export async function currentAccount(
  deps: CreditUsageDeps,
  tenantId: string,
): Promise<CreditAccount> {
  const account = await deps.accounts.findOrCreate(tenantId);
  if ((await deps.transactions.after(tenantId, account.seq)).length === 0) return account;
  return deps.creditLocks.withLock(creditLockKey(tenantId), () => caughtUp(deps, tenantId));
}
