import type { Step } from './runner';
import { ACCOUNT } from './walk-account';
import { CUSTOMER_ACCOUNT, INVOICES, PAYMENTS } from './walk-bills';
import { CUSTOMERS_AND_ENTITLEMENTS } from './walk-customers';
import { ISP_SET_UP } from './walk-isp-setup';
import { END_OF_LIFE, LEDGER_AND_CHECKOUT } from './walk-ledger';
import { DISCOVERY_AND_SIGN_UP, PLANS_AND_TENANTS } from './walk-platform';
import { PROFILES_AND_SUBSCRIPTIONS } from './walk-profiles';

/**
 * The walk in the order a real deployment lives it: sign-up, the operator's plans and tenants,
 * profiles, a tenant's account with the platform, its ISP business (set-up, customers, bills,
 * payments), the ledger and checkout, and the end of life.
 */
export const CHAPTERS: { title: string; steps: Step[] }[] = [
  { title: 'seed 001: discovery, sign-up and login', steps: DISCOVERY_AND_SIGN_UP },
  { title: 'seed 003: plans and tenants (platform admin)', steps: PLANS_AND_TENANTS },
  { title: 'seed 001: profiles and subscriptions', steps: PROFILES_AND_SUBSCRIPTIONS },
  { title: "seed 000: Acme's account with the platform", steps: ACCOUNT },
  { title: 'seed 002: utility information, KAM and packages', steps: ISP_SET_UP },
  { title: 'seed 002: customers and entitlements', steps: CUSTOMERS_AND_ENTITLEMENTS },
  { title: 'seed 002: invoices', steps: INVOICES },
  { title: 'seed 002: payments', steps: PAYMENTS },
  { title: "seed 002: the customer's bills and payments", steps: CUSTOMER_ACCOUNT },
  { title: 'seed 001: balance, ledger, cart, checkout and metrics', steps: LEDGER_AND_CHECKOUT },
  { title: 'seeds 002 and 003: a customer leaves, the tenant is deleted', steps: END_OF_LIFE },
];

export const ALL_STEPS: Step[] = CHAPTERS.flatMap((c) => c.steps);

/**
 * Seed examples whose method and path cannot be sent, each with the BRIEF.md rule that settles it
 * and the request sent instead (which the walk must cover). Empty today: every example's method
 * and path is sent (with real ids), and where BRIEF.md settles a deviation the walk asserts the
 * settled answer (bodies adapted to a settled rule say so beside them) and
 * docs/api-compatibility.md has its line. Seed 001's grant by the provider "cowork" is sent as
 * written, once its manager donny has made the plan "premium" (the seed shows no plan body).
 */
export const WALKED_DIFFERENTLY: { example: string; walkedAs: string; reason: string }[] = [];
