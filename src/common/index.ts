export * from './device-sweep-options';
export * from './sweep-metric';
