export * from './device-revocation';
export * from './revocation-triggers';
