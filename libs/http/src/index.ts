export * from './errors';
export * from './problem.filter';
export * from './zod.pipe';
export * from './pagination';
export * from './phone';
export * from './raw-body';
