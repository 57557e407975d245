import { inRuns, type EventHandlers } from '@ledgerline/platform';
import {
  applyPayment,
  applyPayments,
  applyPaymentVoid,
  applyRefund,
  type SettlementDeps,
} from '../use-cases/settlement';

export function paymentHandlers(deps: SettlementDeps): EventHandlers {
  return {
    // the invoice's applied_payments is this event's marker, written with the settlement itself;
    // a run of one invoice's payments in a fetched batch settles in one change of the invoice
    PaymentRecorded: inRuns(
      async (event) => {
        await applyPayment(deps, event);
      },
      (events) => applyPayments(deps, events),
    ),
    PaymentVoided: async (event) => {
      await applyPaymentVoid(deps, event);
    },
    PaymentRefunded: async (event) => {
      await applyRefund(deps, event);
    },
  };
}
