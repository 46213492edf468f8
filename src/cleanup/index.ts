export * from './stale-device-cleanup';
