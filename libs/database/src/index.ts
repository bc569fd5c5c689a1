export * from './data-source';
export * from './migrate';
export * from './module';
export * from './transaction';
export * from './url';
export * from './cursor';
export * from './sync';
export * from './sync-reader';
