import {
  AppError,
  formatMinor,
  fromMinorUnits,
  minorJson,
  toMinor,
  type BalanceRequest,
} from '@ledgerline/contracts';
import { digestOf, newId } from '@ledgerline/platform';
import { ACCOUNTS, accountBalance } from '../domain/entry';
import { balanceEntry } from '../domain/posting';
import type { LedgerEntry } from '../store/entries';
import type { LedgerCaller, LedgerDeps } from './deps';

/** A profile's balance due per currency: its receivable's debits minus credits. */
async function balancesOf(deps: LedgerDeps, tenantId: string, profile: string) {
  const entries = await deps.entries.forCustomer(tenantId, profile);
  const byCurrency = new Map<string, LedgerEntry[]>();
  for (const e of entries) {
    const list = byCurrency.get(e.currency) ?? [];
    list.push(e);
    byCurrency.set(e.currency, list);
  }
  const account = ACCOUNTS.receivable(profile);
  return new Map(
    [...byCurrency].map(([currency, list]) => [
      currency,
      accountBalance(
        list.flatMap((e) => e.lines),
        account,
      ),
    ]),
  );
}

/** A balance due as a decimal string and, for seed 001 clients, as integer minor units. */
function due(currency: string, minor: bigint) {
  return {
    currency,
    unit: currency.toLowerCase(),
    balance_due: formatMinor(minor, currency),
    balance_due_minor: minorJson(minor),
  };
}

function balanceView(profile: string, currency: string, balances: Map<string, bigint>) {
  return {
    profile,
    ...due(currency, balances.get(currency) ?? 0n),
    other_currencies: [...balances]
      .filter(([c]) => c !== currency)
      .map(([c, minor]) => due(c, minor)),
  };
}

/**
 * The amount of a balance request in minor units, read at exactly one scale: seed 001's `unit`
 * means integer minor units, `currency` (or neither) a decimal. Both at once is ambiguous: 422.
 */
function requestedAmount(req: BalanceRequest, customerCurrency: string) {
  if (req.unit !== undefined && req.currency !== undefined) {
    throw AppError.validation('Send either unit or currency, not both', [
      {
        field: 'unit',
        message:
          'with unit (seed 001) amount is integer minor units; with currency it is a decimal',
      },
    ]);
  }
  if (req.unit !== undefined) {
    return { currency: req.unit, amountMinor: fromMinorUnits(req.amount, req.unit, 'amount') };
  }
  const currency = req.currency ?? customerCurrency;
  return { currency, amountMinor: toMinor(req.amount, currency, 'amount') };
}

async function knownProfile(deps: LedgerDeps, caller: LedgerCaller, profile: string) {
  const customer =
    (await deps.projections.findCustomer(caller.tenantId, profile)) ??
    // the copy may lag a customer created a moment ago: its owner answers
    (await deps.owner?.customer(caller.tenantId, profile, caller.correlationId));
  if (!customer) throw AppError.notFound('Profile');
  return customer;
}

export async function getBalance(
  deps: LedgerDeps,
  caller: LedgerCaller,
  profile: string,
  currency?: string,
) {
  const customer = await knownProfile(deps, caller, profile);
  const balances = await balancesOf(deps, caller.tenantId, profile);
  return balanceView(profile, currency ?? customer.currency, balances);
}

/**
 * Seed 001 "adds directly to a profile balance": a use charge raises it; an offline payment or a
 * write-off lowers it, never below zero. A repeated Idempotency-Key (or reference) posts nothing
 * new and answers the entry posted the first time.
 */
export async function recordBalance(
  deps: LedgerDeps,
  caller: LedgerCaller,
  profile: string,
  req: BalanceRequest,
  idempotencyKey?: string,
): Promise<{ entry: LedgerEntry; created: boolean; balance: ReturnType<typeof balanceView> }> {
  const customer = await knownProfile(deps, caller, profile);
  const { currency, amountMinor } = requestedAmount(req, customer.currency);
  if (amountMinor <= 0) {
    throw AppError.validation('Invalid amount', [{ field: 'amount', message: 'must be positive' }]);
  }
  const clientKey = idempotencyKey ?? req.reference;
  const sourceKey = clientKey
    ? `balance:${profile}:${digestOf([clientKey], { length: 32 })}`
    : `balance:${newId('bal')}`;
  const entry = balanceEntry({
    kind: req.kind,
    customerId: profile,
    amountMinor,
    currency,
    description: req.description ?? defaultDescription(req.kind, profile),
    sourceKey,
  });
  return deps.locks.withLock(`ledger-balance:${caller.tenantId}:${profile}`, async () => {
    const existing = clientKey ? await deps.entries.findBySource(caller.tenantId, sourceKey) : null;
    if (existing) {
      const balances = await balancesOf(deps, caller.tenantId, profile);
      return {
        entry: existing,
        created: false,
        balance: balanceView(profile, existing.currency, balances),
      };
    }
    if (req.kind !== 'charge') {
      const owed = (await balancesOf(deps, caller.tenantId, profile)).get(currency) ?? 0n;
      if (BigInt(amountMinor) > owed) {
        throw AppError.validation('The amount exceeds the balance due', [
          {
            field: 'amount',
            message: `at most ${formatMinor(owed > 0n ? owed : 0n, currency)} ${currency} is due`,
          },
        ]);
      }
    }
    const { result, entry: saved } = await deps.entries.append(caller.tenantId, entry, {
      createdBy: caller.userId,
    });
    const balances = await balancesOf(deps, caller.tenantId, profile);
    return {
      entry: saved,
      created: result === 'posted',
      balance: balanceView(profile, currency, balances),
    };
  });
}

function defaultDescription(kind: BalanceRequest['kind'], profile: string): string {
  if (kind === 'charge') return `Use charge to ${profile}`;
  if (kind === 'offline_payment') return `Offline payment from ${profile}`;
  return `Balance of ${profile} written off`;
}
