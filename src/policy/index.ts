/** Pure policy rules: tiers, names, DNS zones, the policy document, evaluate(), plan(), preflight. */
export * from './types';
export * from './snapshot';
export * from './policy-schema';
export * from './seed-rules';
export * from './tiers';
export * from './naming';
export * from './dns';
export { buildContext, decideConnection, type PolicyContext, type Placement, type EndpointView } from './context';
export { evaluate } from './evaluate';
export { plan, guardLockout, type PlanOptions } from './plan';
export * from './preflight';
