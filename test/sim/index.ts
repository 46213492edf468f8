/**
 * The Cognito simulator (development only, never published): see ./simulator.ts.
 */
export { CognitoSimulator } from './simulator';
export { DEFAULT_QUOTAS, CATEGORY_OF } from './quotas';
export { SimulatorStats } from './stats';
export type { OperationStats } from './stats';
export type {
  Category, FaultOptions, Operation, Range, SeedPoolOptions, SimDevice, SimulatorOptions, SimUser, SimUserInput,
} from './types';
export { simulatorClient } from './client';
export type { SimulatorClientOptions } from './client';
