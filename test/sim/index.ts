/**
 * The Cognito simulator (development only, never published): a loopback server that the real
 * SDK client talks to. Typical use:
 *
 *   const sim = await CognitoSimulator.start({ timeScale: 100 });
 *   const poolId = sim.seedPool({ region: 'eu-west-1', users: 1000 });
 *   const client = simulatorClient(sim, { maxAttempts: 1 });
 *   ... sim.devicesOf(poolId, 'user-000000'), sim.stats.operations.AdminForgetDevice.calls ...
 *   await sim.stop();
 */
export { CognitoSimulator } from './simulator';
export { ADJUSTABLE_CATEGORIES, DEFAULT_QUOTAS, CATEGORY_OF } from './quotas';
export { SimulatorStats } from './stats';
export type { OperationStats } from './stats';
export type {
  AccessOptions, Category, FaultOptions, Operation, ProvisionedLimitCall, Range, SeedPoolOptions, SimDevice, SimulatorOptions, SimUser, SimUserInput,
} from './types';
export { simulatorClient } from './client';
export { DEFAULT_ACCOUNT_ID } from './sts';
export type { SimRole, SimSession } from './sts';
export type { SimCategoryUsage, UsageReadCall } from './usage';
export { AppLoad } from './app-load';
export type { AppCallStats, AppLoadOptions } from './app-load';
export type { SimulatorClientOptions } from './client';
export { useFreshSimulator, useSimulator } from './fixture';
export { lastUseMs, isStaleAt } from './ground-truth';
