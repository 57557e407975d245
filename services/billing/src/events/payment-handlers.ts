import type { EventHandlers } from '@ledgerline/platform';
import {
  applyPayment,
  applyPaymentVoid,
  applyRefund,
  type SettlementDeps,
} from '../use-cases/settlement';

export function paymentHandlers(deps: SettlementDeps): EventHandlers {
  return {
    PaymentRecorded: async (event) => {
      await applyPayment(deps, event);
    },
    PaymentVoided: async (event) => {
      await applyPaymentVoid(deps, event);
    },
    PaymentRefunded: async (event) => {
      await applyRefund(deps, event);
    },
  };
}
