export * from './cognito-device-checks';
