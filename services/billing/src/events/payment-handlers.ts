import type { EventHandlers } from '@ledgerline/platform';
import { applyPayment, type SettlementDeps } from '../use-cases/settlement';

export function paymentHandlers(deps: SettlementDeps): EventHandlers {
  return {
    PaymentRecorded: async (event) => {
      await applyPayment(deps, event);
    },
  };
}
