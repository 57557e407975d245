import type { EventHandlers, Logger } from '@ledgerline/platform';
import type { InvoiceStore } from '../store/invoices';
import { applyPayment } from '../use-cases/settlement';

export function paymentHandlers(deps: { invoices: InvoiceStore; publishSoon: () => void; logger: Logger }): EventHandlers {
  return {
    PaymentRecorded: async (event) => {
      await applyPayment(deps, event);
    },
  };
}
