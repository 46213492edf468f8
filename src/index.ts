export * from './common';
export * from './grants';
export * from './nag';
export * from './purge';
export * from './cleanup';
export * from './revocation';
export * from './audit';
export * from './access';
