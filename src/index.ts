export * from './grants';
export * from './nag';
