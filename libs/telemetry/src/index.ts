export * from './registry';
export * from './http';
export * from './module';
export * from './tracing';
