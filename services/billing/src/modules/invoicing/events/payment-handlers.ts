import { ownMarker, type EventHandlers } from '@ledgerline/platform';
import {
  applyPayment,
  applyPaymentVoid,
  applyRefund,
  type SettlementDeps,
} from '../use-cases/settlement';

export function paymentHandlers(deps: SettlementDeps): EventHandlers {
  return {
    // the invoice's applied_payments is this event's marker, written with the settlement itself
    PaymentRecorded: ownMarker(async (event) => {
      await applyPayment(deps, event);
    }),
    PaymentVoided: async (event) => {
      await applyPaymentVoid(deps, event);
    },
    PaymentRefunded: async (event) => {
      await applyRefund(deps, event);
    },
  };
}
