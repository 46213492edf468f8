export * from './device-sweep-access-role';
export * from './user-pool-tag';
