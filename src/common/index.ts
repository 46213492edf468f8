export * from './account-access';
export * from './device-sweep-options';
export * from './sweep-metric';
