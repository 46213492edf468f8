/** The sweep engine: plain TypeScript, no CDK imports. Internal to the library (not exported from src/index.ts). */
export * from './types';
export { sweepDevices } from './sweep';
export { mergePoolReports, POOL_COUNTER_NAMES } from './pipeline/report';
export type { PoolCounterName } from './pipeline/report';
export { validateSweepOptions } from './input/validate';
export { SweepInputError } from './errors';
export { isRegionName, parseUserPoolId } from './input/pool-id';
export { resolveRates, scaledQuotas, DOCUMENTED_QUOTAS, DEFAULT_BUDGET_FRACTION } from './rate/rates';
export { isStale, lastUseOf } from './input/staleness';
export { createSweepClient } from './calls/clients';
export type { SweepClientOptions } from './calls/clients';
export { MAX_CURSOR_LENGTH } from './input/cursor';
export { DeviceRevoker } from './revocation';
export type { RevokerOptions, RevocationResult, RevocationTarget } from './revocation';
export { checkRevocationTarget, isSub } from './input/revocation-target';
