export * from './grants';
export * from './nag';
export * from './purge';
export * from './cleanup';
export * from './audit';
