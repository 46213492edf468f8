export * from './user-pool-device-grants';
