import { internalReader, pathOf } from '@ledgerline/platform';
import type { Subject } from './mapping';

export interface OwnerUrls {
  billingUrl: string;
  paymentsUrl: string;
  customersUrl: string;
  tenantsUrl: string;
  timeoutMs: number;
}

/**
 * The owners' internal reads of a subject's public representation (each answers exactly what the
 * object's public GET answers, from the same view function). One breaker with a timeout per
 * owner: an owner away throws (the consumer retries the internal event), a 404 answers null.
 */
export interface Owners {
  representation(
    tenantId: string,
    subject: Subject,
    correlationId: string,
  ): Promise<Record<string, unknown> | null>;
}

type Data = Record<string, unknown>;

export function httpOwners(urls: OwnerUrls): Owners {
  const reader = (name: string, baseUrl: string) =>
    internalReader({ name, baseUrl, timeoutMs: urls.timeoutMs });
  const billing = reader('billing', urls.billingUrl);
  const payments = reader('payments', urls.paymentsUrl);
  const customers = reader('customers', urls.customersUrl);
  const tenants = reader('tenants', urls.tenantsUrl);
  const of = (tenantId: string, ...rest: string[]) =>
    pathOf('internal', 'tenants', tenantId, ...rest);

  return {
    representation(tenantId, subject, correlationId) {
      switch (subject.kind) {
        case 'invoice':
          return billing.get<Data>(of(tenantId, 'invoices', subject.id), correlationId);
        case 'credit_transaction':
          return billing.get<Data>(of(tenantId, 'credit-transactions', subject.id), correlationId);
        case 'payment':
          return payments.get<Data>(of(tenantId, 'payments', subject.id), correlationId);
        case 'customer': {
          const query = subject.deleted ? '?include_deleted=true' : '';
          const path = `${of(tenantId, 'customers', subject.id, 'view')}${query}`;
          return customers.get<Data>(path, correlationId);
        }
        case 'credit_note':
          return billing.get<Data>(of(tenantId, 'credit-notes', subject.id), correlationId);
        case 'subscription':
          return tenants.get<Data>(of(tenantId, 'subscriptions', subject.id), correlationId);
      }
    },
  };
}
