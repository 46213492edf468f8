/** The sweep engine: plain TypeScript, no CDK imports. Internal to the library (not exported from src/index.ts). */
export * from './types';
export { sweepDevices } from './sweep';
export { mergePoolReports, POOL_COUNTER_NAMES } from './report';
export type { PoolCounterName } from './report';
export { validateSweepOptions } from './validate';
export { SweepInputError } from './errors';
export { isRegionName, parseUserPoolId } from './pool-id';
export { resolveRates, scaledQuotas, DOCUMENTED_QUOTAS, DEFAULT_BUDGET_FRACTION } from './rates';
export { isStale, lastUseOf } from './staleness';
export { createSweepClient } from './clients';
export type { SweepClientOptions } from './clients';
export { MAX_CURSOR_LENGTH } from './cursor';
export { DeviceRevoker } from './revocation';
export type { RevokerOptions, RevocationResult, RevocationTarget } from './revocation';
export { checkRevocationTarget, isSub } from './revocation-target';
