export * from './device-audit';
