/**
 * The subscription engine's pure arithmetic (issue 18): units, price models, usage aggregation,
 * periods and proration, invoice lines. No I/O: routes, stores and consumers call these.
 */
export { PricingInputError } from './errors';
export {
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
  formatQuantity,
  formatUnitPrice,
  lineAmount,
  parseQuantity,
  parseUnitPrice,
  type Quantity,
  type UnitPrice,
} from './units';
export {
  priceUsage,
  validatePriceModel,
  type PriceModel,
  type PriceModelKind,
  type Tier,
} from './price-models';
export { assertSeats, validateCharge, type Charge, type ChargeKind } from './charges';
export {
  AGGREGATIONS,
  addUsage,
  emptyUsage,
  eventValue,
  mergeUsage,
  usageQuantity,
  validateMetric,
  type Aggregation,
  type CountState,
  type LatestState,
  type MaxState,
  type Metric,
  type SumState,
  type UniqueCountState,
  type UsageEvent,
  type UsageState,
} from './usage';
export {
  billingAnchor,
  daysIn,
  firstPeriod,
  periodAt,
  prorate,
  type Interval,
  type Period,
} from './periods';
export {
  PRORATION_CHARGE_CODE,
  advanceFeeLines,
  arrearsUsageLines,
  changeLines,
  invoiceTotal,
  renewalLines,
  type ChangeInput,
  type Line,
  type ProrationFactor,
  type RenewalInput,
} from './lines';
