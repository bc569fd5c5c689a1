export * from './principal';
export * from './errors';
export * from './policy';
export * from './caller-store';
export * from './signing';
export * from './routes';
export * from './caller-guard';
