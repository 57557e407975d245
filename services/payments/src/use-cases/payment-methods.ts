import { AppError } from '@ledgerline/contracts';
import {
  normalisePaymentMethod,
  PAYMENT_METHODS,
  type PaymentMethod,
} from '../domain/payment-methods';
import type { PaymentsDeps } from './deps';

export async function listPaymentMethods(deps: Pick<PaymentsDeps, 'methods'>, tenantId: string) {
  const settings = await deps.methods.settings(tenantId);
  return PAYMENT_METHODS.map((m) => ({
    payment_method: m.payment_method,
    display_name: m.display_name,
    is_enabled: settings.get(m.payment_method) ?? true,
  }));
}

function knownMethod(text: string, field: string): PaymentMethod {
  const method = normalisePaymentMethod(text);
  if (!method) {
    throw AppError.validation(`Unknown payment method "${text}"`, [
      {
        field,
        message: `must be one of ${PAYMENT_METHODS.map((m) => m.payment_method).join(', ')}`,
      },
    ]);
  }
  return method;
}

export async function setPaymentMethod(
  deps: Pick<PaymentsDeps, 'methods'>,
  tenantId: string,
  userId: string,
  text: string,
  isEnabled: boolean,
) {
  const method = knownMethod(text, 'payment_method');
  await deps.methods.set(tenantId, method, isEnabled, userId);
  return (await listPaymentMethods(deps, tenantId)).find((m) => m.payment_method === method)!;
}

/** The method's code if the tenant accepts it; a 422 naming the problem otherwise. */
export async function acceptedMethod(
  deps: Pick<PaymentsDeps, 'methods'>,
  tenantId: string,
  text: string,
): Promise<PaymentMethod> {
  const method = knownMethod(text, 'payment_method');
  if (!(await deps.methods.isEnabled(tenantId, method))) {
    throw AppError.validation(`Payment method ${method} is disabled for this tenant`, [
      {
        field: 'payment_method',
        message: `${method} is disabled; enable it or use another method`,
      },
    ]);
  }
  return method;
}
