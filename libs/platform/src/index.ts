export * from './base-config';
export * from './health';
export * from './service';
export * from './shutdown';
