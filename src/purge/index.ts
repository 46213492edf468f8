export * from './device-purge';
export * from './purge-selection';
